/**
 * One canonical record per supported CPU architecture. Every spelling that a
 * generated file needs (Docker platform, Docker Hub namespace, QEMU binary,
 * Debian and Alpine names, CI runner values) is read from these fields and
 * never built by editing another spelling.
 */
export interface ArchRecord {
  /** Canonical name: the Docker platform without `linux/`, e.g. `arm/v7`. */
  readonly name: string;
  /** Safe in file names, job names, artifact names and cache scopes: `armv7`. */
  readonly slug: string;
  /** OCI platform fields as a manifest list records them. */
  readonly os: 'linux';
  readonly architecture: string;
  readonly variant?: string;
  /** Docker Hub official-image namespace without the slash: `arm32v7`. */
  readonly hubNamespace?: string;
  /**
   * QEMU target name: the binfmt handler is `qemu-<qemu>` and Debian's
   * static binary is `qemu-<qemu>-static` (`arm` for every 32-bit ARM).
   */
  readonly qemu: string;
  /** Name for `tonistiigi/binfmt --install`: `arm64`, `arm`, `ppc64le`. */
  readonly binfmtInstall: string;
  /** Debian architecture name (`ppc64el`), absent where Debian has no port. */
  readonly debian?: string;
  /** Alpine architecture name (`armv7`), absent where Alpine has no port. */
  readonly alpine?: string;
  /** `uname -m` on a native kernel. */
  readonly unameM: string;
  /** `uname -m` values accepted from a container of this platform, emulated or not. */
  readonly unameAccepted: readonly string[];
  readonly goarch: string;
  readonly goarm?: string;
  /** Travis CI `arch:` value for a native job, where Travis has one. */
  readonly travisArch?: string;
  /** An amd64 host runs this architecture's binaries without an emulator. */
  readonly runsOnAmd64: boolean;
  /** An arm64 host runs this architecture's binaries without an emulator. */
  readonly runsOnArm64: boolean;
  /**
   * Whether Docker publishes its `docker:<version>-cli` and
   * `docker:<version>-dind` images, which GitLab build jobs run in, for
   * this platform. Source: docker-library/docker, whose 29/cli and 29/dind
   * Dockerfiles (Docker 29.2.0 and 29.4.3) download Docker only for
   * Alpine's x86_64, aarch64, armv7 and armhf (arm/v6) and exit 1 on any
   * other architecture.
   */
  readonly dockerCliDindImages: boolean;
  /**
   * Whether `docker manifest annotate` accepts this platform's os/arch
   * pair. It checks the entry's pair against a fixed list (validOSArches in
   * docker/cli cli/command/manifest/util.go, read at commits 3b5dff2 and
   * a8bb9d3) and fails for any other pair, even with only `--variant`.
   */
  readonly dockerManifestAnnotate: boolean;
  /** Other spellings accepted on input, lower case. */
  readonly aliases: readonly string[];
}
