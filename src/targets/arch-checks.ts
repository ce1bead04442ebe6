/**
 * Shell lines that make a build job fail loudly before it builds when its
 * machine cannot run the job's architecture: a `uname -m` probe in a
 * container after QEMU registration or on a native GitHub runner, and a
 * `uname -m` assertion on the other native runners. Each returns one
 * command line built with `sh`.
 */
import { binfmtName, dockerPlatform, qemuBinary } from '../arch/resolve';
import type { ArchRecord } from '../arch/types';
import {
  findMissingPlatforms,
  isScratch,
  perArchBase,
} from '../base-images';
import type { ResolvedConfig } from '../config';
import { UsageError } from '../errors';
import {
  formatImageReference,
  parseImageReference,
  type ImageRef,
} from '../image-ref';
import type { BuildJob } from '../plan';
import { sh, shellText } from '../render/shell';
import { safeSlug } from './steps';

/**
 * Pinned image that probes emulation where the base image cannot:
 * `scratch` has no `uname`, and with `--dockerfile` the base may be an
 * official image that lacks the architecture. BusyBox 1.37.0 is a tag of
 * Docker Hub's official busybox image, which publishes the architectures
 * listed for it in OFFICIAL_IMAGE_PLATFORMS.
 */
export const PROBE_IMAGE = 'busybox:1.37.0';

const PROBE_REF: ImageRef = parseImageReference(PROBE_IMAGE, 'base');

function canProbe(image: ImageRef, arch: ArchRecord): boolean {
  return !isScratch(image) && findMissingPlatforms(image, [arch]) === undefined;
}

/**
 * Returns the image whose `uname -m` proves that emulation or a native
 * runner works: the base image, which the build pulls anyway, else
 * PROBE_IMAGE. Throws a UsageError when neither publishes the
 * architecture.
 */
export function probeImage(config: ResolvedConfig, arch: ArchRecord): string {
  const image = [config.base, PROBE_REF].find((candidate) =>
    canProbe(candidate, arch),
  );
  if (image === undefined) {
    const base = formatImageReference(config.base);
    throw new UsageError(
      'BASE_ARCH_MISSING',
      `cannot check that ${arch.name} containers run: neither the base image ${JSON.stringify(base)} nor ${PROBE_IMAGE} publishes ${arch.name}; pass --base with an image that publishes ${arch.name} and contains uname`,
    );
  }
  return perArchBase(image, arch).from;
}

/** Returns `-e VALUE` grep arguments, one pair per accepted value. */
function grepPatterns(values: readonly string[]): string[] {
  return values.flatMap((value) => ['-e', value]);
}

/**
 * Checks the binfmt_misc handler that the legacy registration leaves. It
 * has no F flag, so the kernel looks for the emulator inside the container
 * and a probe image without it cannot run. The legacy Dockerfiles copy the
 * emulator to the handler's interpreter path, and their `RUN uname -m`
 * then proves that it runs.
 */
function verifyLegacyHandler(job: BuildJob): string {
  const handler = binfmtName(job.arch);
  const file = `/proc/sys/fs/binfmt_misc/${handler}`;
  const interpreter = `interpreter /usr/bin/${qemuBinary(job.arch)}`;
  const message = `QEMU handler ${handler} for ${dockerPlatform(job.arch)} is not enabled with ${interpreter}`;
  return sh`grep -Fqx enabled ${file} && grep -Fqx ${interpreter} ${file} || { echo ${message} >&2; false; }`;
}

/**
 * Runs `uname -m` in a container of the job's platform and prints
 * `message` to stderr and fails unless the output is an accepted value.
 */
function probeContainerUname(
  config: ResolvedConfig,
  job: BuildJob,
  message: string,
): string {
  const platform = dockerPlatform(job.arch);
  const accepted = grepPatterns(job.arch.unameAccepted);
  const image = probeImage(config, job.arch);
  return sh`docker run --rm --platform ${platform} ${image} uname -m | grep -Fx ${accepted} || { echo ${message} >&2; false; }`;
}

/**
 * Runs `uname -m` in a container of the job's platform and fails unless it
 * prints an expected value: registration images exit 0 even when the
 * kernel rejected a handler.
 */
export function verifyEmulator(config: ResolvedConfig, job: BuildJob): string {
  if (config.strategy === 'legacy') {
    return verifyLegacyHandler(job);
  }
  const platform = dockerPlatform(job.arch);
  const accepted = job.arch.unameAccepted;
  const message = `QEMU emulation of ${platform} does not work: uname -m in a ${platform} container printed none of ${accepted.join(', ')}`;
  return probeContainerUname(config, job, message);
}

/**
 * Runs the probe of verifyEmulator on a native runner, whose label is all
 * that names its hardware. An arm64 runner whose CPU lacks 32-bit ARM
 * support, or a self-hosted runner of another architecture, then fails
 * here with a message instead of in the build with "exec format error".
 */
export function verifyNativeRunner(
  config: ResolvedConfig,
  job: BuildJob,
): string {
  const platform = dockerPlatform(job.arch);
  const accepted = job.arch.unameAccepted.join(', ');
  const message = `runner ${job.runnerLabel} cannot run ${platform} containers: uname -m in a ${platform} container printed none of ${accepted}; ${nativeRunnerFix(job.arch)}`;
  return probeContainerUname(config, job, message);
}

/**
 * Returns the fix that the message suggests. amd64 and 386 build natively
 * under every strategy, so QEMU is no fix for them.
 */
function nativeRunnerFix(arch: ArchRecord): string {
  const fix = `pass --runner with the label of a runner that runs ${arch.name}`;
  if (arch.runsOnAmd64) {
    return fix;
  }
  return `${fix}, or build it under QEMU with --strategy emulated`;
}

/**
 * Returns the `uname -m` values of a host that runs the architecture
 * without an emulator: its own values, and those of the amd64 or arm64
 * host that runs its code (an arm64 runner prints aarch64 for an arm/v7
 * job).
 */
export function nativeUnameValues(arch: ArchRecord): string[] {
  const values = [...arch.unameAccepted];
  if (arch.runsOnAmd64) {
    values.push('x86_64');
  }
  if (arch.runsOnArm64) {
    values.push('aarch64');
  }
  return [...new Set(values)];
}

/** Checks that a native job really runs on the expected architecture. */
export function assertNativeArch(job: BuildJob): string {
  const message = `this job must run on ${job.arch.name} hardware, but uname -m is:`;
  return sh`uname -m | grep -Fx ${grepPatterns(nativeUnameValues(job.arch))} || { echo ${message} "$(uname -m)" >&2; false; }`;
}

/**
 * Returns a `case` line for the jobs of a CI matrix, whose slug is in the
 * shell variable `variable`: it runs `lineFor(job)` for the matching job
 * and fails for a slug that has no line, so a new matrix entry without a
 * check cannot pass unchecked.
 */
export function perSlugCommand(
  variable: string,
  jobs: readonly BuildJob[],
  lineFor: (job: BuildJob) => string,
): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(variable)) {
    throw new Error(`matrix variable ${variable} is not a shell name`);
  }
  const branches = jobs.map((job) => `${safeSlug(job)}) ${lineFor(job)} ;;`);
  const message = `no architecture check for ${variable}=`;
  const value = shellText(`"$${variable}"`);
  const fallback = sh`*) echo ${message}${value} >&2; false ;;`;
  return `case "$${variable}" in ${branches.join(' ')} ${fallback} esac`;
}
