/**
 * Resolvers for the options that only some CIs read: runner labels per
 * architecture, GitLab's Docker release and the GitHub Actions workflow
 * name and action pins. Each returns the checked value or throws a
 * UsageError naming the flag, and describeUnusedRunners lists the runners
 * of CIs that are not generated.
 */
import { resolveArch } from '../arch/resolve';
import { ARCHES } from '../arch/table';
import type { ArchRecord } from '../arch/types';
import { UsageError } from '../errors';
import { compareText } from '../validate/findings';
import { PIN_MODES, type PinMode, type Strategy } from '../options';
import { CI_PLATFORMS, type CiName } from './platforms';

/** A runner label that `--runner CI:ARCH=LABEL` sets. */
export interface RunnerOverride {
  readonly ci: CiName;
  readonly arch: ArchRecord;
  readonly label: string;
}

/** CIs whose runners have labels. Travis CI picks machines by `arch:`. */
const LABELLED_CIS: readonly CiName[] = ['gitlab', 'github'];

/**
 * GitHub runner labels and GitLab tags as gen-ci accepts them: no spaces,
 * quotes or `$`, so a label reads the same in YAML and in expressions.
 */
const RUNNER_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function invalidRunner(text: string, problem: string): UsageError {
  return new UsageError(
    'OPTION_INVALID',
    `invalid --runner ${JSON.stringify(text)}: ${problem}`,
  );
}

function parseRunnerCi(text: string, name: string): CiName {
  const ci = name.trim().toLowerCase();
  if (!LABELLED_CIS.includes(ci as CiName)) {
    const hint =
      ci === 'travis'
        ? 'Travis CI chooses machines by arch, not by label'
        : `the CI must be one of ${LABELLED_CIS.join(', ')}`;
    throw invalidRunner(text, hint);
  }
  return ci as CiName;
}

/** Parses one `CI:ARCH=LABEL` value. */
export function parseRunnerOverride(text: string): RunnerOverride {
  const match = /^([^:=]*):([^=]*)=(.*)$/.exec(text);
  if (!match) {
    throw invalidRunner(
      text,
      'expected CI:ARCH=LABEL, such as gitlab:arm64=my-arm-runner',
    );
  }
  const ci = parseRunnerCi(text, match[1]);
  const arch = resolveArch(match[2]);
  if (arch.runsOnAmd64 && arch.name !== 'amd64') {
    throw invalidRunner(
      text,
      `${arch.name} builds on the amd64 runner; set ${ci}:amd64=LABEL instead`,
    );
  }
  const label = match[3];
  if (!RUNNER_LABEL.test(label)) {
    throw invalidRunner(
      text,
      'the label must start with a letter or digit and contain only letters, digits, ".", "_" and "-"',
    );
  }
  return { ci, arch, label };
}

/**
 * Rejects a runner for an architecture that no job builds, because it would
 * be ignored. amd64 is always accepted, because its runner also runs the
 * emulated jobs and the manifest job.
 */
function checkRunnerArch(
  text: string,
  override: RunnerOverride,
  arches: readonly ArchRecord[],
): void {
  const name = override.arch.name;
  if (name === 'amd64' || arches.some((arch) => arch.name === name)) {
    return;
  }
  const built = arches.map((arch) => arch.name).join(',');
  throw invalidRunner(
    text,
    `${name} is not in --arch ${built}; add ${name} to --arch or remove this runner`,
  );
}

/** Formats the platforms of Docker's `docker` images as `a, b and c`. */
function describeDockerImageArches(): string {
  const names = ARCHES.filter((arch) => arch.dockerCliDindImages).map(
    (arch) => arch.name,
  );
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Rejects a GitLab runner for an architecture without Docker's
 * `docker:<version>-cli` and `-dind` images. Every GitLab build job runs in
 * those images, so a job on that runner could not start.
 */
function checkGitlabRunnerImages(
  text: string,
  override: RunnerOverride,
): void {
  if (override.ci !== 'gitlab' || override.arch.dockerCliDindImages) {
    return;
  }
  const name = override.arch.name;
  throw invalidRunner(
    text,
    `GitLab build jobs run in docker:<version>-cli with a docker:<version>-dind service, which Docker publishes for ${describeDockerImageArches()} only; remove this runner so ${name} builds under QEMU on an amd64 runner`,
  );
}

/**
 * Parses every `--runner` value, sorted by CI and architecture so that the
 * same set always renders the same. A CI and architecture given twice is
 * an error, and so are an architecture that is not in `arches` and a
 * GitLab runner for an architecture without Docker's images.
 */
export function resolveRunnerOverrides(
  texts: readonly string[],
  arches: readonly ArchRecord[],
): RunnerOverride[] {
  const byKey = new Map<string, RunnerOverride>();
  for (const text of texts) {
    const override = parseRunnerOverride(text);
    const key = `${override.ci}:${override.arch.name}`;
    if (byKey.has(key)) {
      throw invalidRunner(text, `${key} is given twice; keep one`);
    }
    checkRunnerArch(text, override, arches);
    checkGitlabRunnerImages(text, override);
    byKey.set(key, override);
  }
  return [...byKey.values()].sort(compareOverrides);
}

/**
 * Returns a warning for each runner of a CI that is not generated. The CI
 * list often comes from the pipeline files found in `--out`, and a config
 * file may name the runners of every CI a project uses, so this is no
 * error when one run generates fewer CIs.
 */
export function describeUnusedRunners(
  overrides: readonly RunnerOverride[],
  cis: readonly CiName[],
): string[] {
  return overrides
    .filter((override) => !cis.includes(override.ci))
    .map((override) => {
      const text = `${override.ci}:${override.arch.name}=${override.label}`;
      return `--runner ${JSON.stringify(text)} is not used, because ${override.ci} is not in --ci ${cis.join(',')}; add ${override.ci} to --ci or remove this runner`;
    });
}

const CI_ORDER = Object.keys(CI_PLATFORMS) as CiName[];

function compareOverrides(a: RunnerOverride, b: RunnerOverride): number {
  const byCi = CI_ORDER.indexOf(a.ci) - CI_ORDER.indexOf(b.ci);
  return byCi !== 0 ? byCi : compareText(a.arch.name, b.arch.name);
}

/** Docker releases as Docker Hub tags them: `29`, `29.8` or `29.8.0`. */
const DOCKER_VERSION = /^\d+(\.\d+){0,2}$/;

export function checkDockerVersion(value: string): string {
  if (!DOCKER_VERSION.test(value)) {
    throw new UsageError(
      'OPTION_INVALID',
      `invalid --docker-version ${JSON.stringify(value)}: use a release number such as 29.8 or 29.8.0, never latest`,
    );
  }
  return value;
}

/** A file name without a folder or extension. */
const WORKFLOW_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export function checkWorkflowName(value: string): string {
  if (!WORKFLOW_NAME.test(value)) {
    throw new UsageError(
      'OPTION_INVALID',
      `invalid --workflow-name ${JSON.stringify(value)}: use letters, digits, "_" and "-" without a folder or .yml, such as multiarch`,
    );
  }
  return value;
}

export function resolvePinMode(value: string): PinMode {
  if (!(PIN_MODES as readonly string[]).includes(value)) {
    throw new UsageError(
      'OPTION_INVALID',
      `invalid --pin-actions ${JSON.stringify(value)}; choose from ${PIN_MODES.join(', ')}`,
    );
  }
  return value as PinMode;
}

/**
 * Rejects `--strategy legacy` for GitLab CI and GitHub Actions. Their
 * hosted runners' kernels support the binfmt F flag, and GitHub's
 * build-push-action always builds with BuildKit, so images that carry
 * their own QEMU binary are of no use there.
 */
export function checkStrategyForCis(
  strategy: Strategy,
  cis: readonly CiName[],
): void {
  const modern = cis.filter((ci) => LABELLED_CIS.includes(ci));
  if (strategy === 'legacy' && modern.length > 0) {
    throw new UsageError(
      'OPTION_INVALID',
      `--strategy legacy is for Travis CI only, not ${modern.join(', ')}; use --strategy emulated, or generate the legacy pipeline with --ci travis alone`,
    );
  }
}
