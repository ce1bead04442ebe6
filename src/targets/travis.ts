/**
 * The Travis CI pipeline: a build stage with one job per architecture, each
 * job setting its own `os`, `dist` and `arch` (jobs in `jobs.include` take
 * only the first value of a top-level `arch` list), then a manifest stage.
 * Pushes happen only for the publishing branch and tags, never for pull
 * requests, and logins read the password from stdin.
 */
import type { ResolvedConfig } from '../config';
import { registryHost, formatImageReference } from '../image-ref';
import type { BuildJob, CiPlan } from '../plan';
import { sh, shellWord } from '../render/shell';
import { assertNativeArch, verifyEmulator } from './arch-checks';
import {
  buildCommand,
  loginCommand,
  manifestCommands,
  pullLegacyBases,
  pushCommand,
  registerQemu,
  tagAssignment,
  whenPublishing,
} from './steps';
import type { GeneratedFile, RenderContext, Target } from './types';

/** Ubuntu 22.04: offered on amd64 VMs and on arm64, ppc64le, s390x LXD. */
const TRAVIS_DIST = 'jammy';

const USER_VARIABLE = 'DOCKER_USERNAME';
const PASSWORD_VARIABLE = 'DOCKER_PASSWORD';

/**
 * Turns off the provenance attestation that buildx adds by default with
 * BuildKit 0.11 and later, on builders that support attestations, as
 * Docker's build variables reference and buildx's build/opt.go show.
 * With one, the pushed tag is an image index, and `docker manifest create`
 * rejects an index as a source. The legacy builder never adds one.
 */
const NO_DEFAULT_ATTESTATIONS = 'BUILDX_NO_DEFAULT_ATTESTATIONS=1';

function imageAssignment(config: ResolvedConfig): string {
  if (config.image) {
    return `IMAGE=${shellWord(formatImageReference(config.image))}`;
  }
  // Docker Hub repository named after the GitHub repository, in lower case.
  // No double quote inside the value, because Travis CI ends a quoted env
  // value at the next one; tagAssignment() explains the set -f and IFS.
  return `IMAGE="$(set -f; IFS=; printf %s $TRAVIS_REPO_SLUG | tr '[:upper:]' '[:lower:]')"`;
}

/**
 * Sets PUBLISH for the build jobs. It requires a push event, as the
 * manifest stage's `type = push` does, so that a cron or API build does not
 * push per-architecture tags that no manifest then joins.
 */
function publishCondition(config: ResolvedConfig): string {
  return sh`if [ "$TRAVIS_EVENT_TYPE" = push ] && [ "$TRAVIS_PULL_REQUEST" = false ] && { [ "$TRAVIS_BRANCH" = ${config.branch} ] || [ -n "$TRAVIS_TAG" ]; }; then export PUBLISH=true; else export PUBLISH=false; fi`;
}

function login(config: ResolvedConfig): string {
  const registry = config.image ? registryHost(config.image) : 'docker.io';
  return loginCommand(registry, USER_VARIABLE, PASSWORD_VARIABLE);
}

function buildJobView(config: ResolvedConfig, job: BuildJob) {
  const emulated = job.runner === 'emulated';
  const beforeInstall = emulated
    ? [registerQemu(config, [job]), verifyEmulator(config, job)]
    : [assertNativeArch(job)];
  return {
    name: `build ${job.arch.name}`,
    arch: job.runnerLabel,
    beforeInstall,
    beforeScript: [publishCondition(config)],
    script: [
      ...(config.strategy === 'legacy' ? pullLegacyBases(config, job) : []),
      buildCommand(config, job),
      whenPublishing(login(config)),
      whenPublishing(pushCommand(job)),
    ],
  };
}

function manifestView(config: ResolvedConfig, plan: CiPlan) {
  // Quoted, because Travis CI reads an unquoted AND, OR or IN as a keyword;
  // checkBranchName allows no quote or backslash inside.
  const branch = `"${config.branch}"`;
  return {
    condition: `type = push AND (branch = ${branch} OR tag IS present)`,
    script: [login(config), ...manifestCommands(plan.jobs)],
  };
}

export const travisTarget: Target = {
  ci: 'travis',
  pipelinePath: () => '.travis.yml',
  render(plan: CiPlan, context: RenderContext): GeneratedFile {
    const { config } = context;
    const view = {
      header: [
        ...context.header,
        `Set ${USER_VARIABLE} and ${PASSWORD_VARIABLE} in the repository settings on travis-ci.com.`,
      ],
      dist: TRAVIS_DIST,
      env: [
        imageAssignment(config),
        tagAssignment('TRAVIS_TAG'),
        'DOCKER_BUILDKIT=' + (config.strategy === 'legacy' ? '0' : '1'),
        NO_DEFAULT_ATTESTATIONS,
        'DOCKER_CLI_EXPERIMENTAL=enabled',
      ],
      jobs: plan.jobs.map((job) => buildJobView(config, job)),
      manifest: manifestView(config, plan),
    };
    const template = context.templates.get('travis.yml.hbs');
    return { path: '.travis.yml', content: template(view) };
  },
};
