/**
 * Shell commands shared by every CI target. Each returns one command line
 * built with `sh`, so values from the config are always single shell words.
 * The commands refer to the image and tag through the shell variables
 * `$IMAGE` and `$TAG`. Each target sets `$IMAGE` in its own way and `$TAG`
 * through tagAssignment().
 */
import { dockerPlatform, qemuBinary } from '../arch/resolve';
import { ARCHES } from '../arch/table';
import type { ArchRecord } from '../arch/types';
import type { ResolvedConfig } from '../config';
import { deriveDockerfile, parseDockerfile } from '../dockerfile/derive';
import type { LegacyQemu } from '../dockerfile/lines';
import { formatImageReference } from '../image-ref';
import { DEFAULT_LEGACY_EMULATOR_VERSION } from '../options';
import { DOCKERFILE_PREFIX, type BuildJob } from '../plan';
import {
  sh,
  shellCommand,
  shellText,
  type ShellText,
} from '../render/shell';

/** Slugs are lower-case letters and digits, safe inside double quotes. */
const SAFE_SLUG = /^[a-z0-9]+$/;

/** Returns the job's slug, checked to be safe as a word in shell text. */
export function safeSlug(job: BuildJob): string {
  if (!SAFE_SLUG.test(job.tagSuffix)) {
    throw new Error(`architecture slug ${job.tagSuffix} is not [a-z0-9]+`);
  }
  return job.tagSuffix;
}

/** `"$IMAGE:$TAG-<slug>"`: the per-architecture tag of a job. */
export function archTag(job: BuildJob): string {
  return `"$IMAGE:$TAG-${safeSlug(job)}"`;
}

export const MANIFEST_TAG = '"$IMAGE:$TAG"';

/** Maximum length of a Docker tag, from the distribution reference grammar. */
const DOCKER_TAG_MAX_LENGTH = 128;

/**
 * Maximum length of `$TAG`. The per-architecture tags append `-<slug>`,
 * so `$TAG` leaves room for the longest slug of any architecture.
 */
export const TAG_MAX_LENGTH =
  DOCKER_TAG_MAX_LENGTH -
  1 -
  Math.max(...ARCHES.map((arch) => arch.slug.length));

/** Characters that a Docker tag may contain, as a `tr` set. */
const TAG_CHARACTERS = 'A-Za-z0-9_.-';

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Returns the assignment that sets `TAG` to the git tag in the variable
 * `gitTagVariable`, or to `latest` when it is unset or empty, as a valid
 * Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]*`). Every other byte becomes
 * `-`, a leading `.` or `-` becomes `_`, and the result is cut to
 * TAG_MAX_LENGTH characters.
 *
 * The value is one double-quoted string with no double quote inside,
 * because Travis CI ends a quoted `env` value at the next double quote
 * (travis-ci/travis-env_vars and travis-build's Env::Var parsers). So the
 * variable stays unquoted, and the command substitution turns off
 * pathname expansion (`set -f`) and field splitting (empty IFS). The tag
 * then reaches printf as one literal word and is never run as code.
 * LC_ALL=C makes tr map bytes, with ASCII ranges, in every locale.
 *
 * Only POSIX sh features are used, for bash on Travis CI and BusyBox ash
 * in GitLab CI's docker:cli image. POSIX leaves `tr -c SET -` with a
 * shorter second set unspecified, but GNU and BusyBox tr repeat its last
 * character, and older BusyBox tr lacks the POSIX `[-*]` form.
 * NOTE: the tests run this line in bash and dash, and in BusyBox sh only
 * where busybox is installed.
 */
export function tagAssignment(gitTagVariable: string): string {
  if (!SHELL_NAME.test(gitTagVariable)) {
    throw new Error(`invalid shell variable name: ${gitTagVariable}`);
  }
  const gitTag = shellText(`\${${gitTagVariable}:-latest}`);
  const length = `1-${TAG_MAX_LENGTH}`;
  return sh`TAG="$(set -f; IFS=; export LC_ALL=C; printf %s ${gitTag} | tr -c ${TAG_CHARACTERS} - | sed 's/^[.-]/_/' | cut -c ${length})"`;
}

/** Registers QEMU for the given jobs' architectures, with the F flag. */
export function registerQemu(
  config: ResolvedConfig,
  jobs: readonly BuildJob[],
): string {
  if (config.strategy === 'legacy') {
    // Without `-p yes` the handlers lack the F flag, as on old kernels; the
    // legacy Dockerfiles copy the emulator into the image instead.
    const image = `multiarch/qemu-user-static:${DEFAULT_LEGACY_EMULATOR_VERSION}`;
    return sh`docker run --rm --privileged ${image} --reset`;
  }
  // arm/v5, arm/v6 and arm/v7 share the `arm` handler: install it once.
  const names = [...new Set(jobs.map((job) => job.arch.binfmtInstall))];
  const image = formatImageReference(config.emulatorImage);
  return sh`docker run --rm --privileged ${image} --install ${names.join(',')}`;
}

/**
 * The per-architecture values of one build: literals for a job of the
 * plan, or shell variables for a job of a CI matrix.
 */
export interface BuildTarget {
  /** Absent for the legacy builder, which has no `--platform`. */
  readonly platform?: string | ShellText;
  readonly dockerfile: string | ShellText;
  /** The per-architecture tag, as shell text such as `"$IMAGE:$TAG-arm64"`. */
  readonly tag: ShellText;
}

/**
 * Returns the text of `Dockerfile.<arch>` for `config`, the file that the
 * pipelines' jobs build, with `header` as its first comment lines.
 */
export function deriveArchDockerfile(
  config: ResolvedConfig,
  arch: ArchRecord,
  header: readonly string[],
): string {
  return deriveDockerfile({
    source: config.dockerfile,
    base: config.base,
    arch,
    buildArgs: config.buildArgs.map((arg) => arg.key),
    header,
    legacyQemu:
      config.strategy === 'legacy' ? legacyQemuStage(arch) : undefined,
  });
}

/**
 * Returns the namespaced official images, such as `ppc64le/alpine:3.22`,
 * that the job's legacy Dockerfile builds FROM.
 */
function legacyBaseImages(config: ResolvedConfig, job: BuildJob): string[] {
  if (job.arch.hubNamespace === undefined) {
    return [];
  }
  const text = deriveArchDockerfile(config, job.arch, []);
  const prefix = `${job.arch.hubNamespace}/`;
  const images = parseDockerfile(text, job.dockerfile)
    .getFROMs()
    .map((from) => from.getImage() ?? '')
    .filter((image) => image.startsWith(prefix));
  return [...new Set(images)];
}

/**
 * Returns the commands that pull the bases of a legacy build for the
 * job's platform. Docker Hub publishes each architecture namespace as a
 * manifest list with that one architecture, and the legacy builder pulls
 * a missing FROM image for the daemon's platform, which amd64 workers do
 * not find in the list ("no matching manifest for linux/amd64"). The
 * builder then uses the pulled image, because the tag exists locally.
 */
export function pullLegacyBases(
  config: ResolvedConfig,
  job: BuildJob,
): string[] {
  const platform = dockerPlatform(job.arch);
  return legacyBaseImages(config, job).map(
    (image) => sh`docker pull --platform ${platform} ${image}`,
  );
}

export function jobTarget(config: ResolvedConfig, job: BuildJob): BuildTarget {
  return {
    // The legacy builder takes the architecture from the namespaced base.
    platform:
      config.strategy === 'legacy' ? undefined : dockerPlatform(job.arch),
    dockerfile: job.dockerfile,
    tag: shellText(archTag(job)),
  };
}

/** Shell variables of a matrix job: the slug and the Docker platform. */
export const MATRIX_VARIABLES = { slug: 'ARCH', platform: 'PLATFORM' } as const;

/**
 * A build whose architecture comes from `$ARCH` (the slug) and `$PLATFORM`.
 * The file and tag names put the slug where dockerfileName() and archTag()
 * do, so they name the same files and tags as the plan's jobs.
 */
export const MATRIX_TARGET: BuildTarget = {
  platform: shellText(`"$${MATRIX_VARIABLES.platform}"`),
  dockerfile: shellText(`"${DOCKERFILE_PREFIX}$${MATRIX_VARIABLES.slug}"`),
  tag: shellText(`"$IMAGE:$TAG-$${MATRIX_VARIABLES.slug}"`),
};

export function buildCommandFor(
  config: ResolvedConfig,
  target: BuildTarget,
): string {
  const args = config.buildArgs.flatMap((arg) => [
    '--build-arg',
    `${arg.key}=${arg.value}`,
  ]);
  const platform = target.platform ? ['--platform', target.platform] : [];
  return shellCommand(
    'docker',
    'build',
    platform,
    ['--file', target.dockerfile],
    args,
    ['--tag', target.tag],
    '.',
  );
}

export function buildCommand(config: ResolvedConfig, job: BuildJob): string {
  return buildCommandFor(config, jobTarget(config, job));
}

export function pushCommandFor(target: BuildTarget): string {
  return sh`docker push ${target.tag}`;
}

export function pushCommand(job: BuildJob): string {
  return sh`docker push ${shellText(archTag(job))}`;
}

/** Runs `command` only when an earlier line set `PUBLISH=true`. */
export function whenPublishing(command: string): string {
  return `if [ "$PUBLISH" = true ]; then ${command}; fi`;
}

/**
 * Reads the password from a variable through stdin, never from argv. The
 * registry is a host name, or shell text such as `"$CI_REGISTRY"`.
 */
export function loginCommand(
  registry: string | ShellText,
  userVariable: string,
  passwordVariable: string,
): string {
  const user = shellText(`"$${userVariable}"`);
  const password = shellText(`"$${passwordVariable}"`);
  return sh`printf '%s\\n' ${password} | docker login --username ${user} --password-stdin ${registry}`;
}

/**
 * Joins the per-architecture tags into one manifest list. `--amend` and
 * `--purge` make a rerun of the same tag succeed. `manifest create` fills
 * each entry's platform from the image config, so an annotation only adds
 * what the config may lack, such as a variant. It is left out for a
 * platform that `docker manifest annotate` rejects.
 */
export function manifestCommands(jobs: readonly BuildJob[]): string[] {
  const list = shellText(MANIFEST_TAG);
  const sources = jobs.map((job) => shellText(archTag(job)));
  const annotations = jobs
    .filter((job) => job.arch.dockerManifestAnnotate)
    .map((job) =>
      shellCommand(
        'docker',
        'manifest',
        'annotate',
        list,
        shellText(archTag(job)),
        ['--os', job.arch.os, '--arch', job.arch.architecture],
        job.arch.variant ? ['--variant', job.arch.variant] : [],
      ),
    );
  return [
    sh`docker manifest create --amend ${list} ${sources}`,
    ...annotations,
    sh`docker manifest push --purge ${list}`,
  ];
}

/**
 * Joins the per-architecture tags into one manifest list with buildx. It
 * copies each source's manifests, attestations included, and overwrites
 * the tag on a rerun. `docker manifest create` instead rejects a source
 * that is itself an index, which BuildKit pushes when it adds provenance.
 */
export function imagetoolsCreateCommand(jobs: readonly BuildJob[]): string {
  const sources = jobs.map((job) => shellText(archTag(job)));
  return sh`docker buildx imagetools create --tag ${shellText(MANIFEST_TAG)} ${sources}`;
}

/**
 * Returns the emulator that a legacy Dockerfile copies into the image, or
 * undefined for an architecture that an amd64 build machine runs without
 * one (amd64 and 386), which then gets no emulator stage.
 */
export function legacyQemuStage(arch: ArchRecord): LegacyQemu | undefined {
  if (arch.runsOnAmd64) {
    return undefined;
  }
  return {
    image: `multiarch/qemu-user-static:x86_64-${arch.qemu}-${DEFAULT_LEGACY_EMULATOR_VERSION}`,
    binary: qemuBinary(arch),
  };
}
