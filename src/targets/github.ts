/**
 * The GitHub Actions workflow: a `build` job with one matrix leg per
 * platform, each pushing its image by digest, then a `merge` job that
 * joins the digests into one manifest list with
 * `docker buildx imagetools create`, tagged by docker/metadata-action.
 *
 * Native legs run on the platform's runner (`ubuntu-24.04-arm` for arm64
 * and 32-bit ARM with `auto`); emulated legs register QEMU first. Both
 * run `uname -m` in a container of the leg's platform before the build.
 * Every name derived from an architecture (leg, artifact, cache scope,
 * digest file, Dockerfile) is built from the matrix's `slug`, the model's
 * slug.
 */
import { dockerPlatform } from '../arch/resolve';
import type { ResolvedConfig } from '../config';
import { formatImageReference } from '../image-ref';
import { GENERATE_OPTIONS } from '../options';
import { DOCKERFILE_PREFIX, type BuildJob, type CiPlan } from '../plan';
import {
  perSlugCommand,
  verifyEmulator,
  verifyNativeRunner,
} from './arch-checks';
import {
  actionStep,
  buildxStep,
  DIGEST_DIR,
  expression,
  imageNameStep,
  loginStep,
  manifestRun,
  PUBLISHING,
  pushesToGhcr,
  step,
  workflowEnv,
  type KeyValue,
  type StepView,
} from './github-steps';
import type { GeneratedFile, RenderContext, Target } from './types';

function workflowPath(name: string): string {
  return `.github/workflows/${name}.yml`;
}

/** One matrix leg; `binfmt` is the name QEMU registration takes. */
interface LegView {
  readonly platform: string;
  readonly slug: string;
  readonly runner: string;
  readonly emulated: boolean;
  readonly binfmt: string;
}

function legView(job: BuildJob): LegView {
  const emulated = job.runner === 'emulated';
  return {
    platform: dockerPlatform(job.arch),
    slug: job.arch.slug,
    runner: job.runnerLabel,
    emulated,
    binfmt: emulated ? job.arch.binfmtInstall : '',
  };
}

const SLUG = expression('matrix.slug');

/** build-push-action's list parser reads `"` as CSV quoting. */
function csvField(line: string): string {
  return line.includes('"') ? `"${line.replace(/"/g, '""')}"` : line;
}

/**
 * Build arguments as build-push-action reads them: one per line. The
 * action trims each line, so resolveConfig rejects values that end in
 * white space for GitHub.
 */
function buildArgsInput(config: ResolvedConfig): Record<string, string> {
  if (config.buildArgs.length === 0) {
    return {};
  }
  const lines = config.buildArgs.map((arg) =>
    csvField(`${arg.key}=${arg.value}`),
  );
  return { 'build-args': lines.join('\n') };
}

function buildPushStep(config: ResolvedConfig): StepView {
  const outputs = [
    'type=image',
    `name=${expression('env.IMAGE')}`,
    'push-by-digest=true',
    'name-canonical=true',
    `push=${expression(PUBLISHING)}`,
  ].join(',');
  return actionStep(config, 'buildPush', {
    name: 'Build and push by digest',
    id: 'build',
    with: {
      context: '.',
      file: `${DOCKERFILE_PREFIX}${SLUG}`,
      platforms: expression('matrix.platform'),
      ...buildArgsInput(config),
      outputs,
      // One cache scope per platform, so legs do not overwrite each other.
      'cache-from': `type=gha,scope=${SLUG}`,
      'cache-to': `type=gha,mode=max,scope=${SLUG}`,
    },
  });
}

function digestSteps(config: ResolvedConfig): StepView[] {
  const file = `${DIGEST_DIR}/$SLUG`;
  return [
    step({
      name: 'Export the digest',
      condition: PUBLISHING,
      env: {
        DIGEST: expression('steps.build.outputs.digest'),
        SLUG,
      },
      run: `mkdir -p "${DIGEST_DIR}" && printf '%s\\n' "$DIGEST" > "${file}"`,
    }),
    actionStep(config, 'uploadArtifact', {
      name: 'Upload the digest',
      condition: PUBLISHING,
      with: {
        name: `digests-${SLUG}`,
        path: `${expression('runner.temp')}/digests/${SLUG}`,
        'if-no-files-found': 'error',
        'retention-days': '1',
        // A re-run job belongs to the same run, which already has this
        // artifact. upload-artifact v4 and later then fail unless
        // `overwrite` (added in v4.2.0) deletes the old one first.
        overwrite: 'true',
      },
    }),
  ];
}

/**
 * Runs the `uname -m` probe of the leg's platform after QEMU setup, which
 * succeeds even when the kernel rejected a handler.
 */
function verifyQemuSteps(config: ResolvedConfig, plan: CiPlan): StepView[] {
  if (plan.emulatedJobs.length === 0) {
    return [];
  }
  const run = perSlugCommand('SLUG', plan.emulatedJobs, (job) =>
    verifyEmulator(config, job),
  );
  return [
    step({
      name: 'Check QEMU emulation',
      condition: 'matrix.emulated',
      env: { SLUG },
      run,
    }),
  ];
}

/**
 * Runs the same probe on native legs, because nothing but the runner
 * label claims that the runner's CPU runs the platform's code.
 */
function verifyNativeSteps(config: ResolvedConfig, plan: CiPlan): StepView[] {
  const nativeJobs = plan.jobs.filter((job) => job.runner === 'native');
  if (nativeJobs.length === 0) {
    return [];
  }
  const run = perSlugCommand('SLUG', nativeJobs, (job) =>
    verifyNativeRunner(config, job),
  );
  return [
    step({
      name: 'Check the runner architecture',
      condition: '!matrix.emulated',
      env: { SLUG },
      run,
    }),
  ];
}

function buildSteps(config: ResolvedConfig, plan: CiPlan): StepView[] {
  return [
    actionStep(config, 'checkout', {
      name: 'Check out the repository',
      with: { 'persist-credentials': 'false' },
    }),
    ...imageNameStep(config),
    actionStep(config, 'setupQemu', {
      name: 'Set up QEMU',
      condition: 'matrix.emulated',
      with: {
        platforms: expression('matrix.binfmt'),
        image: formatImageReference(config.emulatorImage),
      },
    }),
    ...verifyQemuSteps(config, plan),
    ...verifyNativeSteps(config, plan),
    buildxStep(config),
    loginStep(config),
    buildPushStep(config),
    ...digestSteps(config),
  ];
}

/** Tags of the manifest list: the git tag, or `latest` on the branch. */
function metadataTags(config: ResolvedConfig): string {
  const onBranch = `github.ref == 'refs/heads/${config.branch}'`;
  return [
    'type=ref,event=tag',
    `type=raw,value=latest,enable=${expression(onBranch)}`,
  ].join('\n');
}

function mergeSteps(config: ResolvedConfig, plan: CiPlan): StepView[] {
  return [
    actionStep(config, 'downloadArtifact', {
      name: 'Download the digests',
      with: {
        path: `${expression('runner.temp')}/digests`,
        pattern: 'digests-*',
        'merge-multiple': 'true',
      },
    }),
    ...imageNameStep(config),
    buildxStep(config),
    loginStep(config),
    actionStep(config, 'metadata', {
      name: 'Compute the tags',
      id: 'meta',
      with: {
        images: expression('env.IMAGE'),
        flavor: 'latest=false',
        tags: metadataTags(config),
      },
    }),
    step({
      name: 'Create the manifest list',
      env: { TAGS: expression('steps.meta.outputs.tags') },
      run: manifestRun(plan.jobs),
    }),
  ];
}

/**
 * Returns the token scopes per job. Only jobs that push to ghcr.io need
 * `packages: write`, and the merge job checks out nothing.
 */
function permissions(config: ResolvedConfig) {
  const write = pushesToGhcr(config);
  const build: KeyValue[] = write
    ? [
        { key: 'contents', value: 'read' },
        { key: 'packages', value: 'write' },
      ]
    : [];
  const merge: KeyValue[] = write
    ? [{ key: 'packages', value: 'write' }]
    : [];
  return { build, merge };
}

function headerNotes(config: ResolvedConfig): string[] {
  if (pushesToGhcr(config)) {
    return ['Pushes to ghcr.io with GITHUB_TOKEN; no secret is needed.'];
  }
  return ['Set the DOCKER_USERNAME and DOCKER_PASSWORD repository secrets.'];
}

/** One group per workflow and ref: a new push cancels the older run. */
const CONCURRENCY_GROUP = [
  expression('github.workflow'),
  expression('github.ref'),
].join('-');

function workflowView(plan: CiPlan, context: RenderContext) {
  const { config } = context;
  return {
    header: [...context.header, ...headerNotes(config)],
    name: config.workflowName,
    branch: config.branch,
    concurrencyGroup: CONCURRENCY_GROUP,
    env: workflowEnv(config),
    legName: `build ${SLUG}`,
    runsOn: expression('matrix.runner'),
    legs: plan.jobs.map(legView),
    permissions: permissions(config),
    buildSteps: buildSteps(config, plan),
    mergeCondition: PUBLISHING,
    mergeRunner: plan.hostRunner,
    mergeSteps: mergeSteps(config, plan),
  };
}

export const githubTarget: Target = {
  ci: 'github',
  pipelinePath: (config) =>
    workflowPath(
      config?.workflowName ?? GENERATE_OPTIONS['workflow-name'].default,
    ),
  render(plan: CiPlan, context: RenderContext): GeneratedFile {
    const template = context.templates.get('github-workflow.yml.hbs');
    return {
      path: workflowPath(context.config.workflowName),
      content: template(workflowView(plan, context)),
    };
  },
};
