/**
 * Provides, without any registry, the images that a job's commands and
 * Dockerfiles name. Each name gets the kind of image that Docker Hub
 * serves under it: a namespaced official image (`arm32v7/alpine`) is an
 * image of that namespace's platform, any other name is an image of the
 * platform that the build or run requests. The content is always one of
 * the set-up's busybox images, except for the emulator images of the
 * legacy strategy, which get Debian's QEMU binary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { docker } from './docker';
import type { E2eEnvironment } from './environment';
import { findDockerBuilds, findDockerRuns } from './shell-words';

/**
 * Docker Hub's per-architecture namespaces of the official images, and the
 * one platform that the images in each namespace are built for. Kept apart
 * from gen-ci's architecture table, so that a wrong entry there fails here.
 */
const HUB_NAMESPACE_PLATFORMS: Readonly<Record<string, string>> = {
  amd64: 'linux/amd64',
  arm32v5: 'linux/arm/v5',
  arm32v6: 'linux/arm/v6',
  arm32v7: 'linux/arm/v7',
  arm64v8: 'linux/arm64',
  i386: 'linux/386',
  mips64le: 'linux/mips64le',
  ppc64le: 'linux/ppc64le',
  riscv64: 'linux/riscv64',
  s390x: 'linux/s390x',
};

/** Tags of the set-up's busybox images (scripts/e2e-setup.sh). */
const LOCAL_BASE_TAGS: Readonly<Record<string, string>> = {
  'linux/amd64': 'amd64',
  'linux/ppc64le': 'ppc64le',
  'linux/s390x': 's390x',
  'linux/arm64': 'arm64',
  'linux/arm64/v8': 'arm64',
  'linux/arm/v7': 'armv7',
};

/**
 * `multiarch/qemu-user-static:x86_64-<target>-<version>` contains only
 * `/usr/bin/qemu-<target>-static`, built for amd64.
 */
const EMULATOR_IMAGE =
  /^(?:docker\.io\/)?multiarch\/qemu-user-static:x86_64-([a-z0-9_]+)-\d[\w.-]*$/;

/** The platform that the daemon builds for when no --platform is given. */
const DAEMON_PLATFORM = 'linux/amd64';

export interface ImageNeed {
  readonly name: string;
  /** Where the name was found, for messages. */
  readonly source: string;
  readonly kind: 'base' | 'emulator';
  /** Platform of a base image. */
  readonly platform?: string;
  /** QEMU target of an emulator image, such as `arm`. */
  readonly qemuTarget?: string;
}

/** Returns the platform of a Docker Hub namespaced official image. */
function namespacePlatform(name: string): string | undefined {
  const parts = name.replace(/^docker\.io\//, '').split('/');
  if (parts.length !== 2) {
    return undefined;
  }
  return HUB_NAMESPACE_PLATFORMS[parts[0]];
}

function imageNeed(name: string, source: string, platform?: string): ImageNeed {
  const emulator = EMULATOR_IMAGE.exec(name);
  if (emulator) {
    return { name, source, kind: 'emulator', qemuTarget: emulator[1] };
  }
  return {
    name,
    source,
    kind: 'base',
    platform: namespacePlatform(name) ?? platform ?? DAEMON_PLATFORM,
  };
}

/** Resolves `--platform=$BUILDPLATFORM` and similar FROM flags. */
function fromPlatform(flag: string | undefined, buildPlatform?: string) {
  if (flag === undefined) {
    return buildPlatform;
  }
  if (/^\$\{?BUILDPLATFORM\}?$/.test(flag)) {
    return DAEMON_PLATFORM;
  }
  if (/^\$\{?TARGETPLATFORM\}?$/.test(flag)) {
    return buildPlatform ?? DAEMON_PLATFORM;
  }
  return flag;
}

function dockerfileNeeds(
  file: string,
  buildPlatform: string | undefined,
): ImageNeed[] {
  const dockerfile = DockerfileParser.parse(fs.readFileSync(file, 'utf8'));
  const stages = new Set<string>();
  const needs: ImageNeed[] = [];
  for (const from of dockerfile.getFROMs()) {
    const image = from.getImage() ?? '';
    const line = from.getRange().start.line + 1;
    const source = `${path.basename(file)}:${line}`;
    if (image.includes('$')) {
      throw new Error(
        `${source}: FROM ${image} uses a variable, which the e2e tests cannot resolve`,
      );
    }
    if (image !== 'scratch' && !stages.has(image.toLowerCase())) {
      const flag = from.getPlatformFlag()?.getValue() ?? undefined;
      const platform = fromPlatform(flag, buildPlatform);
      needs.push(imageNeed(image, source, platform));
    }
    const stage = from.getBuildStage();
    if (stage) {
      stages.add(stage.toLowerCase());
    }
  }
  return needs;
}

/**
 * Lists the images that the commands run or build from. Names with shell
 * variables (the pipeline's own `$IMAGE`) and names in `registry` are
 * left to the commands.
 */
export function findImageNeeds(
  commands: readonly string[],
  workdir: string,
  registry: string,
): ImageNeed[] {
  const needs: ImageNeed[] = [];
  for (const command of commands) {
    for (const run of findDockerRuns(command)) {
      if (!run.image.includes('$') && !run.image.startsWith(`${registry}/`)) {
        needs.push(
          imageNeed(run.image, `docker run in: ${command}`, run.platform),
        );
      }
    }
    for (const build of findDockerBuilds(command)) {
      const file = path.resolve(workdir, build.file);
      if (fs.existsSync(file)) {
        needs.push(...dockerfileNeeds(file, build.platform));
      }
    }
  }
  return uniqueNeeds(needs);
}

/** Drops repeats; one name with two platforms cannot be served locally. */
function uniqueNeeds(needs: readonly ImageNeed[]): ImageNeed[] {
  const byName = new Map<string, ImageNeed>();
  for (const need of needs) {
    const known = byName.get(need.name);
    if (known && known.platform !== need.platform) {
      throw new Error(
        `${need.name} is needed as ${known.platform} (${known.source}) and as ${need.platform} (${need.source}); Docker 20.10 keeps one platform per local tag`,
      );
    }
    byName.set(need.name, known ?? need);
  }
  return [...byName.values()];
}

function provideBase(env: E2eEnvironment, need: ImageNeed): string {
  const platform = need.platform ?? DAEMON_PLATFORM;
  const tag = LOCAL_BASE_TAGS[platform];
  if (tag === undefined) {
    throw new Error(
      `no local base image for ${platform}, needed as ${need.name} (${need.source}); scripts/e2e-setup.sh builds ${Object.keys(LOCAL_BASE_TAGS).join(', ')}`,
    );
  }
  const local = `${env.baseRepository}:${tag}`;
  docker(env, ['tag', local, need.name]);
  return `${need.name} <- ${local} (busybox, ${platform})`;
}

function provideEmulator(env: E2eEnvironment, need: ImageNeed): string {
  const binary = `qemu-${need.qemuTarget}-static`;
  const hostBinary = path.join('/usr/bin', binary);
  if (!fs.existsSync(hostBinary)) {
    throw new Error(
      `${hostBinary} is missing, needed for ${need.name} (${need.source})`,
    );
  }
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-ci-e2e-qemu-'));
  try {
    fs.copyFileSync(hostBinary, path.join(context, binary));
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      `FROM scratch\nCOPY ${binary} /usr/bin/${binary}\n`,
    );
    docker(env, [
      'build',
      '--quiet',
      '--platform',
      DAEMON_PLATFORM,
      '--network',
      'none',
      '--tag',
      need.name,
      context,
    ]);
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
  return `${need.name} <- Debian's ${hostBinary}`;
}

/** Makes every needed image exist locally and returns one note per image. */
export function provideImages(
  env: E2eEnvironment,
  needs: readonly ImageNeed[],
): string[] {
  return needs.map((need) =>
    need.kind === 'emulator'
      ? provideEmulator(env, need)
      : provideBase(env, need),
  );
}

/**
 * Removes every local image except the set-up's base images, and the build
 * cache, as on a fresh CI machine: no build can reuse an earlier result.
 */
export function resetDaemon(env: E2eEnvironment): void {
  const references = docker(env, [
    'image',
    'ls',
    '--format',
    '{{.Repository}}:{{.Tag}}',
  ])
    .split('\n')
    .filter((reference) => reference !== '' && !reference.includes('<none>'))
    .filter((reference) => !reference.startsWith(`${env.baseRepository}:`));
  if (references.length > 0) {
    docker(env, ['image', 'rm', '--force', ...references]);
  }
  docker(env, ['image', 'prune', '--force']);
  docker(env, ['builder', 'prune', '--all', '--force']);
}
