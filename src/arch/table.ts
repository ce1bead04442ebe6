/**
 * The supported architectures, one record each, in the order that generated
 * files list them. Naming sources: Docker Hub official images (bashbrew),
 * containerd's platform parser, tonistiigi/binfmt, QEMU, the Debian and
 * Alpine port lists, Go's GOARCH values and Travis CI's `arch:` values.
 * The platforms of Docker's own `docker` images come from
 * docker-library/docker; see ArchRecord.dockerCliDindImages.
 */
import type { ArchRecord } from './types';

const AMD64: ArchRecord = {
  name: 'amd64',
  slug: 'amd64',
  os: 'linux',
  architecture: 'amd64',
  hubNamespace: 'amd64',
  qemu: 'x86_64',
  binfmtInstall: 'amd64',
  debian: 'amd64',
  alpine: 'x86_64',
  unameM: 'x86_64',
  unameAccepted: ['x86_64'],
  goarch: 'amd64',
  travisArch: 'amd64',
  runsOnAmd64: true,
  runsOnArm64: false,
  dockerCliDindImages: true,
  dockerManifestAnnotate: true,
  aliases: ['x86_64', 'x86-64', 'x64'],
};

const I386: ArchRecord = {
  name: '386',
  // The slug is `i386` because a GitHub job id must start with a letter or
  // `_`, and YAML reads an unquoted 386 as a number, not a string.
  slug: 'i386',
  os: 'linux',
  architecture: '386',
  hubNamespace: 'i386',
  qemu: 'i386',
  binfmtInstall: '386',
  debian: 'i386',
  alpine: 'x86',
  unameM: 'i686',
  // An i386 image on an amd64 kernel prints x86_64 unless run under linux32.
  unameAccepted: ['i386', 'i486', 'i586', 'i686', 'x86_64'],
  goarch: '386',
  runsOnAmd64: true,
  runsOnArm64: false,
  dockerCliDindImages: false,
  dockerManifestAnnotate: true,
  aliases: ['i686', 'x86'],
};

const ARM_V5: ArchRecord = {
  name: 'arm/v5',
  slug: 'armv5',
  os: 'linux',
  architecture: 'arm',
  variant: 'v5',
  hubNamespace: 'arm32v5',
  qemu: 'arm',
  binfmtInstall: 'arm',
  debian: 'armel',
  unameM: 'armv5tel',
  // QEMU's default ARM CPU reports armv7l, and a 32-bit process on an
  // arm64 kernel gets armv8l.
  unameAccepted: ['armv5tel', 'armv5tejl', 'armv7l', 'armv8l'],
  goarch: 'arm',
  goarm: '5',
  runsOnAmd64: false,
  // AArch32 executes the ARMv5TE code that Debian armel targets, and
  // containerd's platform matcher accepts arm/v5 images on arm64 hosts.
  // NOTE: only CPUs with AArch32 at EL0 run it. GitHub's arm64 runners
  // have it, but not every arm64 CPU does (Apple M-series lacks it).
  runsOnArm64: true,
  dockerCliDindImages: false,
  dockerManifestAnnotate: true,
  // `armel` is Debian's ARMv5TE port, although containerd maps it to arm/v6.
  aliases: ['armel', 'armv5tel', 'armv5te', 'arm32v5'],
};

const ARM_V6: ArchRecord = {
  name: 'arm/v6',
  slug: 'armv6',
  os: 'linux',
  architecture: 'arm',
  variant: 'v6',
  hubNamespace: 'arm32v6',
  qemu: 'arm',
  binfmtInstall: 'arm',
  // Debian has no ARMv6 port. Alpine's `armhf`, like Raspbian's, is ARMv6.
  alpine: 'armhf',
  unameM: 'armv6l',
  unameAccepted: ['armv6l', 'armv7l', 'armv8l'],
  goarch: 'arm',
  goarm: '6',
  runsOnAmd64: false,
  // NOTE: only on CPUs with AArch32 at EL0, as for arm/v5.
  runsOnArm64: true,
  // Docker's arm/v6 images are Alpine armhf with Docker's armel binaries.
  dockerCliDindImages: true,
  dockerManifestAnnotate: true,
  aliases: ['armv6l', 'arm32v6'],
};

const ARM_V7: ArchRecord = {
  name: 'arm/v7',
  slug: 'armv7',
  os: 'linux',
  architecture: 'arm',
  variant: 'v7',
  hubNamespace: 'arm32v7',
  qemu: 'arm',
  binfmtInstall: 'arm',
  debian: 'armhf',
  alpine: 'armv7',
  unameM: 'armv7l',
  unameAccepted: ['armv7l', 'armv8l'],
  goarch: 'arm',
  goarm: '7',
  runsOnAmd64: false,
  // NOTE: only on CPUs with AArch32 at EL0, as for arm/v5.
  runsOnArm64: true,
  dockerCliDindImages: true,
  dockerManifestAnnotate: true,
  // Plain `arm` is arm/v7 because Docker normalises linux/arm to it.
  aliases: ['arm', 'armv7l', 'armv7hf', 'arm32v7'],
};

const ARM64: ArchRecord = {
  name: 'arm64',
  slug: 'arm64',
  os: 'linux',
  architecture: 'arm64',
  // Manifest lists of official images record `variant: v8` for arm64,
  // although Docker normalises linux/arm64/v8 to linux/arm64.
  variant: 'v8',
  hubNamespace: 'arm64v8',
  qemu: 'aarch64',
  binfmtInstall: 'arm64',
  debian: 'arm64',
  alpine: 'aarch64',
  unameM: 'aarch64',
  unameAccepted: ['aarch64'],
  goarch: 'arm64',
  travisArch: 'arm64',
  runsOnAmd64: false,
  runsOnArm64: true,
  dockerCliDindImages: true,
  dockerManifestAnnotate: true,
  // `armv8` alone means arm64. The `armv8l` that 32-bit ARM code reports on
  // an arm64 kernel is rejected instead.
  aliases: ['aarch64', 'arm64/v8', 'arm64v8', 'armv8'],
};

const PPC64LE: ArchRecord = {
  name: 'ppc64le',
  slug: 'ppc64le',
  os: 'linux',
  architecture: 'ppc64le',
  hubNamespace: 'ppc64le',
  qemu: 'ppc64le',
  binfmtInstall: 'ppc64le',
  debian: 'ppc64el',
  alpine: 'ppc64le',
  unameM: 'ppc64le',
  unameAccepted: ['ppc64le'],
  goarch: 'ppc64le',
  travisArch: 'ppc64le',
  runsOnAmd64: false,
  runsOnArm64: false,
  dockerCliDindImages: false,
  dockerManifestAnnotate: true,
  aliases: ['ppc64el', 'powerpc64le'],
};

const S390X: ArchRecord = {
  name: 's390x',
  slug: 's390x',
  os: 'linux',
  architecture: 's390x',
  hubNamespace: 's390x',
  qemu: 's390x',
  binfmtInstall: 's390x',
  debian: 's390x',
  alpine: 's390x',
  unameM: 's390x',
  unameAccepted: ['s390x'],
  goarch: 's390x',
  travisArch: 's390x',
  runsOnAmd64: false,
  runsOnArm64: false,
  dockerCliDindImages: false,
  dockerManifestAnnotate: true,
  aliases: [],
};

const RISCV64: ArchRecord = {
  name: 'riscv64',
  slug: 'riscv64',
  os: 'linux',
  architecture: 'riscv64',
  hubNamespace: 'riscv64',
  qemu: 'riscv64',
  binfmtInstall: 'riscv64',
  debian: 'riscv64',
  alpine: 'riscv64',
  unameM: 'riscv64',
  unameAccepted: ['riscv64'],
  goarch: 'riscv64',
  runsOnAmd64: false,
  runsOnArm64: false,
  dockerCliDindImages: false,
  dockerManifestAnnotate: true,
  aliases: [],
};

const MIPS64LE: ArchRecord = {
  name: 'mips64le',
  slug: 'mips64le',
  os: 'linux',
  architecture: 'mips64le',
  hubNamespace: 'mips64le',
  // QEMU and Debian spell the little-endian port `mips64el`.
  qemu: 'mips64el',
  binfmtInstall: 'mips64le',
  debian: 'mips64el',
  // Alpine has no mips64le port (its `mips64` is big-endian).
  // The kernel prints `mips64` for both byte orders.
  unameM: 'mips64',
  unameAccepted: ['mips64'],
  goarch: 'mips64le',
  runsOnAmd64: false,
  runsOnArm64: false,
  dockerCliDindImages: false,
  dockerManifestAnnotate: true,
  aliases: ['mips64el'],
};

const LOONG64: ArchRecord = {
  name: 'loong64',
  slug: 'loong64',
  os: 'linux',
  architecture: 'loong64',
  // Docker Hub has no loong64 namespace for official images.
  qemu: 'loongarch64',
  binfmtInstall: 'loong64',
  debian: 'loong64',
  alpine: 'loongarch64',
  unameM: 'loongarch64',
  unameAccepted: ['loongarch64'],
  goarch: 'loong64',
  runsOnAmd64: false,
  runsOnArm64: false,
  dockerCliDindImages: false,
  // docker/cli lists no linux/loong64 for `docker manifest annotate`.
  dockerManifestAnnotate: false,
  aliases: ['loongarch64'],
};

export const ARCHES: readonly ArchRecord[] = [
  AMD64,
  I386,
  ARM_V5,
  ARM_V6,
  ARM_V7,
  ARM64,
  PPC64LE,
  S390X,
  RISCV64,
  MIPS64LE,
  LOONG64,
];
