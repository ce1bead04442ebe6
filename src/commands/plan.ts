/**
 * `gen-ci plan`: prints the build plan that `gen-ci` would render, per CI
 * and architecture: native or emulated runner, runner label, emulator,
 * image tag, and the manifest step that joins the tags. It reads the same
 * flags and config file as `gen-ci generate` and writes nothing.
 */
import type { Argv } from 'yargs';
import { binfmtName } from '../arch/resolve';
import { CI_PLATFORMS } from '../ci/platforms';
import type { ResolvedConfig } from '../config';
import { formatImageReference } from '../image-ref';
import type { Logger } from '../log';
import { DEFAULT_LEGACY_EMULATOR_VERSION, GENERATE_OPTIONS } from '../options';
import { createPlan, type BuildJob, type CiPlan, type Plan } from '../plan';
import { addConfigOption, resolveCommandConfig } from './config-args';
import {
  addFormatOption,
  formatJson,
  formatTable,
  type Format,
} from './format';
import { resolveArgs, type OptionArgs } from './generate';
import { addOptions, singleValue } from './options';

export type PlanArgs = OptionArgs & { format: Format };

export function planBuilder(yargs: Argv): Argv<PlanArgs> {
  const withOptions = addOptions(addConfigOption(yargs), GENERATE_OPTIONS)
    .option('out', {
      type: 'string',
      default: '.',
      coerce: singleValue('out'),
      description:
        'Repository root: where the config file, Dockerfile and existing pipelines are looked for',
    });
  return addFormatOption(withOptions)
    .example('$0 plan --arch arm64,ppc64le --ci github', 'Runners per job')
    .example('$0 plan --format json', 'The plan for the config file, as JSON')
    .example(
      '$0 plan --strategy native --ci travis,github --arch s390x',
      'Compare runners across CIs',
    ) as unknown as Argv<PlanArgs>;
}

export interface EmulatorView {
  readonly image: string;
  /** The binfmt_misc handler that the job registers: `qemu-aarch64`. */
  readonly handler: string;
}

function emulatorOf(config: ResolvedConfig, job: BuildJob): EmulatorView | null {
  if (job.runner === 'native') {
    return null;
  }
  const image =
    config.strategy === 'legacy'
      ? `multiarch/qemu-user-static:${DEFAULT_LEGACY_EMULATOR_VERSION}`
      : formatImageReference(config.emulatorImage);
  return { image, handler: binfmtName(job.arch) };
}

/** Returns the image repository, or `$IMAGE` where each CI picks one. */
function repositoryOf(config: ResolvedConfig): string {
  return config.image ? formatImageReference(config.image) : '$IMAGE';
}

function jobView(config: ResolvedConfig, job: BuildJob) {
  return {
    arch: job.arch.name,
    runner: job.runner,
    runnerLabel: job.runnerLabel,
    emulator: emulatorOf(config, job),
    dockerfile: job.dockerfile,
    tag: `${repositoryOf(config)}:$TAG-${job.tagSuffix}`,
  };
}

function ciView(config: ResolvedConfig, ciPlan: CiPlan) {
  const jobs = ciPlan.jobs.map((job) => jobView(config, job));
  return {
    ci: ciPlan.ci,
    title: CI_PLATFORMS[ciPlan.ci].title,
    jobs,
    manifest: {
      tag: `${repositoryOf(config)}:$TAG`,
      sources: jobs.map((job) => job.tag),
      publishes: { branch: config.branch, tags: true },
    },
    warnings: ciPlan.warnings,
  };
}

/** Builds the plan as plain data, as `--format json` prints it. */
export function planView(plan: Plan) {
  return { cis: plan.cis.map((ciPlan) => ciView(plan.config, ciPlan)) };
}

type PlanView = ReturnType<typeof planView>;

function formatPlanTable(view: PlanView): string {
  const header = ['CI', 'ARCH', 'RUNNER', 'LABEL', 'EMULATOR', 'TAG'];
  const rows = view.cis.flatMap((ci) =>
    ci.jobs.map((job) => [
      ci.ci,
      job.arch,
      job.runner,
      job.runnerLabel || '(CI default)',
      job.emulator ? `${job.emulator.image} (${job.emulator.handler})` : '-',
      job.tag,
    ]),
  );
  const manifests = view.cis.map(
    (ci) =>
      `${ci.ci} manifest: joins ${ci.jobs.length} tag(s) into ${ci.manifest.tag}, on pushes to ${ci.manifest.publishes.branch} and on tags`,
  );
  return `${formatTable(header, rows)}\n${manifests.join('\n')}\n`;
}

export function runPlan(flags: PlanArgs, log: Logger): number {
  const { args, config } = resolveCommandConfig(flags, resolveArgs, log);
  const view = planView(createPlan(config));
  for (const warning of view.cis.flatMap((ci) => ci.warnings)) {
    log.warn(warning);
  }
  log.data(
    args.format === 'json' ? formatJson(view) : formatPlanTable(view),
  );
  return 0;
}
