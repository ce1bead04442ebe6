/**
 * The GitLab CI pipeline: a build stage whose jobs run Docker-in-Docker
 * with TLS, one job per architecture through `parallel: matrix`, then a
 * manifest job that needs every build job and joins their tags with
 * `docker buildx imagetools create`.
 *
 * Jobs of one `parallel: matrix` share one definition, so build jobs are
 * grouped by the runner they need. `build-amd64` builds code that amd64
 * runs itself, and `build-emulated` builds through QEMU on amd64.
 * `build-native` runs on other hardware: each matrix entry names its
 * runner tag in `$RUNNER_TAG`, which GitLab expands in `tags` (GitLab 14.1
 * and later).
 */
import type { ResolvedConfig } from '../config';
import { formatImageReference, registryHost } from '../image-ref';
import { dockerPlatform } from '../arch/resolve';
import type { BuildJob, CiPlan } from '../plan';
import { sh, shellText, type ShellText } from '../render/shell';
import {
  buildCommandFor,
  imagetoolsCreateCommand,
  loginCommand,
  MATRIX_TARGET,
  MATRIX_VARIABLES,
  pushCommandFor,
  registerQemu,
  tagAssignment,
  whenPublishing,
} from './steps';
import {
  assertNativeArch,
  perSlugCommand,
  verifyEmulator,
} from './arch-checks';
import type { GeneratedFile, RenderContext, Target } from './types';

const PIPELINE_PATH = '.gitlab-ci.yml';

/** GitLab.com's container registry, where CI_REGISTRY_* can log in. */
const GITLAB_COM_REGISTRY = 'registry.gitlab.com';

/** The dind service writes its TLS certificates here for the client. */
const DOCKER_TLS_CERTDIR = '/certs';

const RUNNER_TAG_VARIABLE = 'RUNNER_TAG';

interface Credentials {
  readonly registry: string | ShellText;
  readonly user: string;
  readonly password: string;
  /** The user must set the variables, unlike GitLab's predefined ones. */
  readonly userDefined: boolean;
}

/**
 * Returns the login for the image's registry: the job's CI_REGISTRY_*
 * credentials for the project's own registry, else CI/CD variables that
 * the user sets.
 */
function credentials(config: ResolvedConfig): Credentials {
  const host = config.image ? registryHost(config.image) : undefined;
  if (host === undefined || host === GITLAB_COM_REGISTRY) {
    return {
      registry: host ?? shellText('"$CI_REGISTRY"'),
      user: 'CI_REGISTRY_USER',
      password: 'CI_REGISTRY_PASSWORD',
      userDefined: false,
    };
  }
  return {
    registry: host,
    user: 'DOCKER_USERNAME',
    password: 'DOCKER_PASSWORD',
    userDefined: true,
  };
}

function login(config: ResolvedConfig): string {
  const { registry, user, password } = credentials(config);
  return loginCommand(registry, user, password);
}

/** TAG assignment of both the build and the manifest jobs, so tags match. */
const TAG_ASSIGNMENT = tagAssignment('CI_COMMIT_TAG');

/**
 * Sets PUBLISH=true for tags and the publishing branch, and only when the
 * ref is protected, so that only maintainers' pushes publish. Merge
 * request pipelines never publish: they set neither CI_COMMIT_TAG nor
 * CI_COMMIT_BRANCH, and CI_PIPELINE_SOURCE is checked as well.
 */
function publishCondition(config: ResolvedConfig): string {
  return sh`if [ "$CI_COMMIT_REF_PROTECTED" = true ] && [ "$CI_PIPELINE_SOURCE" != merge_request_event ] && { [ -n "$CI_COMMIT_TAG" ] || [ "$CI_COMMIT_BRANCH" = ${config.branch} ]; }; then PUBLISH=true; else PUBLISH=false; fi`;
}

/** The rule of the manifest job, the same condition as publishCondition. */
function publishRule(config: ResolvedConfig): string {
  return `$CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE != "merge_request_event" && ($CI_COMMIT_TAG || $CI_COMMIT_BRANCH == "${config.branch}")`;
}

function buildScript(config: ResolvedConfig): string[] {
  return [
    TAG_ASSIGNMENT,
    publishCondition(config),
    buildCommandFor(config, MATRIX_TARGET),
    whenPublishing(login(config)),
    whenPublishing(pushCommandFor(MATRIX_TARGET)),
  ];
}

interface MatrixVariable {
  readonly name: string;
  readonly value: string;
}

interface JobGroupView {
  readonly name: string;
  readonly tags: readonly string[];
  /** Each entry's variables, in the order GitLab names the job by. */
  readonly matrix: readonly MatrixVariable[][];
  readonly beforeScript: readonly string[];
}

function matrixEntry(job: BuildJob, tagged: boolean): MatrixVariable[] {
  const entry: MatrixVariable[] = [
    { name: MATRIX_VARIABLES.slug, value: job.arch.slug },
    { name: MATRIX_VARIABLES.platform, value: dockerPlatform(job.arch) },
  ];
  if (tagged) {
    entry.push({ name: RUNNER_TAG_VARIABLE, value: job.runnerLabel });
  }
  return entry;
}

/** Fails a matrix job whose runner is not of its architecture. */
function nativeChecks(jobs: readonly BuildJob[]): string[] {
  return [perSlugCommand(MATRIX_VARIABLES.slug, jobs, assertNativeArch)];
}

/** Host-runner jobs carry the amd64 tag when `--runner` sets one. */
function hostGroup(
  name: string,
  jobs: readonly BuildJob[],
  beforeScript: readonly string[],
): JobGroupView {
  const label = jobs[0].runnerLabel;
  return {
    name,
    tags: label === '' ? [] : [label],
    matrix: jobs.map((job) => matrixEntry(job, false)),
    beforeScript,
  };
}

/**
 * Returns the lines that register and check every emulated architecture.
 * Each emulated job runs them all, because the handlers are global to the
 * runner's kernel and one registration line then serves every job.
 */
function emulatedChecks(config: ResolvedConfig, jobs: readonly BuildJob[]) {
  return [
    registerQemu(config, jobs),
    ...jobs.map((job) => verifyEmulator(config, job)),
  ];
}

function jobGroups(config: ResolvedConfig, plan: CiPlan): JobGroupView[] {
  const onAmd64 = plan.jobs.filter(
    (job) => job.runner === 'native' && job.arch.runsOnAmd64,
  );
  const native = plan.jobs.filter(
    (job) => job.runner === 'native' && !job.arch.runsOnAmd64,
  );
  const groups: JobGroupView[] = [];
  if (onAmd64.length > 0) {
    groups.push(hostGroup('build-amd64', onAmd64, nativeChecks(onAmd64)));
  }
  if (plan.emulatedJobs.length > 0) {
    const checks = emulatedChecks(config, plan.emulatedJobs);
    groups.push(hostGroup('build-emulated', plan.emulatedJobs, checks));
  }
  if (native.length > 0) {
    groups.push({
      name: 'build-native',
      tags: [`$${RUNNER_TAG_VARIABLE}`],
      matrix: native.map((job) => matrixEntry(job, true)),
      beforeScript: nativeChecks(native),
    });
  }
  return groups;
}

/** GitLab expands `$CI_REGISTRY_IMAGE`, the project's lower-case path. */
function imageValue(config: ResolvedConfig): string {
  return config.image
    ? formatImageReference(config.image)
    : '$CI_REGISTRY_IMAGE';
}

function headerNotes(config: ResolvedConfig): string[] {
  const notes = [
    'Build jobs run Docker-in-Docker: their runners must be privileged and mount /certs/client (GitLab.com hosted runners do).',
    `Only protected refs publish: protect the ${config.branch} branch and the tags to publish.`,
  ];
  const { user, password, userDefined } = credentials(config);
  if (userDefined) {
    notes.push(
      `Set ${user} and ${password} as masked and protected CI/CD variables.`,
    );
  }
  return notes;
}

function manifestView(
  config: ResolvedConfig,
  plan: CiPlan,
  groups: readonly JobGroupView[],
) {
  return {
    // A need on a parallel job name waits for every job of its matrix.
    needs: groups.map((group) => group.name),
    // The same runner tag as the amd64 build jobs, so `--runner
    // gitlab:amd64=<tag>` picks the runner of every amd64 job.
    tags: plan.hostRunner === '' ? [] : [plan.hostRunner],
    rule: publishRule(config),
    script: [
      TAG_ASSIGNMENT,
      login(config),
      imagetoolsCreateCommand(plan.jobs),
    ],
  };
}

export const gitlabTarget: Target = {
  ci: 'gitlab',
  pipelinePath: () => PIPELINE_PATH,
  render(plan: CiPlan, context: RenderContext): GeneratedFile {
    const { config } = context;
    const groups = jobGroups(config, plan);
    const view = {
      header: [...context.header, ...headerNotes(config)],
      cliImage: `docker:${config.dockerVersion}-cli`,
      dindImage: `docker:${config.dockerVersion}-dind`,
      variables: [
        { name: 'IMAGE', value: imageValue(config) },
        { name: 'DOCKER_TLS_CERTDIR', value: DOCKER_TLS_CERTDIR },
      ],
      buildScript: buildScript(config),
      groups,
      manifest: manifestView(config, plan, groups),
    };
    const template = context.templates.get('gitlab-ci.yml.hbs');
    return { path: PIPELINE_PATH, content: template(view) };
  },
};
