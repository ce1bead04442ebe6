/**
 * Shell commands shared by every CI target. Each returns one command line
 * built with `sh`, so values from the config are always single shell words.
 * The commands refer to the image and tag through the shell variables
 * `$IMAGE` and `$TAG`, which each target sets in its own way.
 */
import { dockerPlatform, qemuBinary } from '../arch/resolve';
import type { ArchRecord } from '../arch/types';
import { perArchBase } from '../base-images';
import type { ResolvedConfig } from '../config';
import { formatImageReference } from '../image-ref';
import { DEFAULT_LEGACY_EMULATOR_VERSION } from '../options';
import type { BuildJob } from '../plan';
import { sh, shellCommand, shellText } from '../render/shell';

/** Slugs are lower-case letters and digits, safe inside double quotes. */
const SAFE_SLUG = /^[a-z0-9]+$/;

/** `"$IMAGE:$TAG-<slug>"`: the per-architecture tag of a job. */
export function archTag(job: BuildJob): string {
  if (!SAFE_SLUG.test(job.tagSuffix)) {
    throw new Error(`architecture slug ${job.tagSuffix} is not [a-z0-9]+`);
  }
  return `"$IMAGE:$TAG-${job.tagSuffix}"`;
}

export const MANIFEST_TAG = '"$IMAGE:$TAG"';

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
  const names = jobs.map((job) => job.arch.binfmtInstall).join(',');
  const image = formatImageReference(config.emulatorImage);
  return sh`docker run --rm --privileged ${image} --install ${names}`;
}

/** The image whose `uname -m` proves that emulation works. */
export function probeImage(config: ResolvedConfig, arch: ArchRecord): string {
  return perArchBase(config.base, arch).from;
}

/**
 * Runs `uname -m` in a container of the job's platform and fails unless it
 * prints an expected value: registration images exit 0 even when the
 * kernel rejected a handler.
 */
export function verifyEmulator(config: ResolvedConfig, job: BuildJob): string {
  const platform = dockerPlatform(job.arch);
  const expected = job.arch.unameAccepted.flatMap((name) => ['-e', name]);
  const message = `QEMU emulation of ${platform} does not work: uname -m in a ${platform} container printed none of ${job.arch.unameAccepted.join(', ')}`;
  return sh`docker run --rm --platform ${platform} ${probeImage(config, job.arch)} uname -m | grep -Fx ${expected} || { echo ${message} >&2; false; }`;
}

/** Checks that a native job really runs on the expected architecture. */
export function assertNativeArch(job: BuildJob): string {
  const expected = job.arch.unameAccepted.flatMap((name) => ['-e', name]);
  const message = `this job must run on ${job.arch.name} hardware, but uname -m is:`;
  return sh`uname -m | grep -Fx ${expected} || { echo ${message} "$(uname -m)" >&2; false; }`;
}

export function buildCommand(config: ResolvedConfig, job: BuildJob): string {
  const args = config.buildArgs.flatMap((arg) => [
    '--build-arg',
    `${arg.key}=${arg.value}`,
  ]);
  // The legacy builder has no --platform and takes the architecture from
  // the namespaced base image.
  const platform =
    config.strategy === 'legacy' ? [] : ['--platform', dockerPlatform(job.arch)];
  return shellCommand(
    'docker',
    'build',
    platform,
    ['--file', job.dockerfile],
    args,
    ['--tag', shellText(archTag(job))],
    '.',
  );
}

export function pushCommand(job: BuildJob): string {
  return sh`docker push ${shellText(archTag(job))}`;
}

/** Reads the password from a variable through stdin, never from argv. */
export function loginCommand(
  registry: string,
  userVariable: string,
  passwordVariable: string,
): string {
  const user = shellText(`"$${userVariable}"`);
  const password = shellText(`"$${passwordVariable}"`);
  return sh`printf '%s\\n' ${password} | docker login --username ${user} --password-stdin ${registry}`;
}

/**
 * Joins the per-architecture tags into one manifest list. `--amend` and
 * `--purge` make a rerun of the same tag succeed.
 */
export function manifestCommands(jobs: readonly BuildJob[]): string[] {
  const list = shellText(MANIFEST_TAG);
  const sources = jobs.map((job) => shellText(archTag(job)));
  const annotations = jobs.map((job, index) =>
    shellCommand(
      'docker',
      'manifest',
      'annotate',
      list,
      sources[index],
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

/** The `COPY`-into-image source for the legacy strategy. */
export function legacyQemuStage(arch: ArchRecord) {
  return {
    image: `multiarch/qemu-user-static:x86_64-${arch.qemu}-${DEFAULT_LEGACY_EMULATOR_VERSION}`,
    binary: qemuBinary(arch),
  };
}
