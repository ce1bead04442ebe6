/**
 * The build plan: for each CI, one build job per architecture with its
 * runner kind and label, and the manifest step that joins them. It is
 * computed from the resolved config and the architecture model alone, so it
 * can be tested without templates and printed by `gen-ci plan`.
 */
import type { ArchRecord } from './arch/types';
import { CI_PLATFORMS, type CiName } from './ci/platforms';
import type { ResolvedConfig } from './config';

/**
 * `native`: the runner executes this architecture's code itself.
 * `emulated`: an amd64 runner executes it through QEMU user emulation,
 * registered with binfmt_misc before the build.
 */
export type RunnerKind = 'native' | 'emulated';

export interface BuildJob {
  readonly arch: ArchRecord;
  readonly runner: RunnerKind;
  /** CI-specific runner value (Travis `arch`, GitLab tag, GitHub label). */
  readonly runnerLabel: string;
  /** The per-architecture Dockerfile this job builds. */
  readonly dockerfile: string;
  /** Suffix of the per-architecture tag: `<tag>-<slug>`. */
  readonly tagSuffix: string;
}

export interface CiPlan {
  readonly ci: CiName;
  readonly jobs: readonly BuildJob[];
  /** Jobs that register QEMU, in job order. */
  readonly emulatedJobs: readonly BuildJob[];
  /** Runner label of amd64 jobs, emulated jobs and the manifest job. */
  readonly hostRunner: string;
  /** Notes for the user, such as a native runner that does not exist. */
  readonly warnings: readonly string[];
}

export interface Plan {
  readonly config: ResolvedConfig;
  readonly cis: readonly CiPlan[];
}

/** Start of every per-architecture Dockerfile name, before the slug. */
export const DOCKERFILE_PREFIX = 'Dockerfile.';

export function dockerfileName(arch: ArchRecord): string {
  return `${DOCKERFILE_PREFIX}${arch.slug}`;
}

/** Returns the label that `--runner` sets for this CI and arch, if any. */
function runnerOverride(
  config: ResolvedConfig,
  ci: CiName,
  arch: ArchRecord,
): string | undefined {
  return config.runners.find(
    (runner) => runner.ci === ci && runner.arch === arch,
  )?.label;
}

/** Returns the runner label of jobs that run on amd64, native or emulated. */
function amd64Runner(config: ResolvedConfig, ci: CiName): string {
  const override = config.runners.find(
    (runner) => runner.ci === ci && runner.arch.name === 'amd64',
  );
  return override?.label ?? CI_PLATFORMS[ci].amd64Runner;
}

function nativeRunner(
  config: ResolvedConfig,
  ci: CiName,
  arch: ArchRecord,
): string | undefined {
  const override = runnerOverride(config, ci, arch);
  return override ?? CI_PLATFORMS[ci].nativeRunner(arch);
}

/**
 * `auto` also runs natively where the user named a runner with
 * `--runner`, because the user has that runner; `emulated` never does.
 */
function wantsNative(config: ResolvedConfig, ci: CiName, arch: ArchRecord) {
  switch (config.strategy) {
    case 'native':
      return true;
    case 'auto':
      return (
        CI_PLATFORMS[ci].autoNative(arch) ||
        runnerOverride(config, ci, arch) !== undefined
      );
    default:
      return false;
  }
}

function planJob(
  config: ResolvedConfig,
  ci: CiName,
  arch: ArchRecord,
  warnings: string[],
): BuildJob {
  const platform = CI_PLATFORMS[ci];
  const common = {
    arch,
    dockerfile: dockerfileName(arch),
    tagSuffix: arch.slug,
  };
  const hostLabel = amd64Runner(config, ci);
  if (arch.runsOnAmd64) {
    return { ...common, runner: 'native', runnerLabel: hostLabel };
  }
  const nativeLabel = nativeRunner(config, ci, arch);
  if (wantsNative(config, ci, arch)) {
    if (nativeLabel !== undefined) {
      return { ...common, runner: 'native', runnerLabel: nativeLabel };
    }
    if (config.strategy === 'native') {
      warnings.push(
        `${platform.title} has no native runner for ${arch.name}; this job emulates it on amd64`,
      );
    }
  }
  return { ...common, runner: 'emulated', runnerLabel: hostLabel };
}

export function planCi(config: ResolvedConfig, ci: CiName): CiPlan {
  const warnings: string[] = [];
  const jobs = config.arches.map((arch) => planJob(config, ci, arch, warnings));
  return {
    ci,
    jobs,
    emulatedJobs: jobs.filter((job) => job.runner === 'emulated'),
    hostRunner: amd64Runner(config, ci),
    warnings,
  };
}

export function createPlan(config: ResolvedConfig): Plan {
  return { config, cis: config.cis.map((ci) => planCi(config, ci)) };
}
