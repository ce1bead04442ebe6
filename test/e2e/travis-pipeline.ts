/**
 * Reads a generated .travis.yml into the pipeline model, for a simulated
 * push to the publishing branch. Phases and their failure rules follow the
 * Travis CI build lifecycle. A failure before `script` errors the job and
 * ends it. A failing `script` command fails the job, but the remaining
 * `script` commands still run.
 */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import type {
  FailureEffect,
  Job,
  Pipeline,
  RunCondition,
  Stage,
  Step,
} from './pipeline';

interface Phase {
  readonly name: string;
  readonly runIf: RunCondition;
  readonly onFailure: FailureEffect;
}

const PHASES: readonly Phase[] = [
  { name: 'before_install', runIf: 'ok', onFailure: 'error' },
  { name: 'install', runIf: 'ok', onFailure: 'error' },
  { name: 'before_script', runIf: 'ok', onFailure: 'error' },
  { name: 'script', runIf: 'not-errored', onFailure: 'fail' },
  { name: 'after_success', runIf: 'ok', onFailure: 'ignore' },
  { name: 'after_failure', runIf: 'failed', onFailure: 'ignore' },
  { name: 'after_script', runIf: 'always', onFailure: 'ignore' },
];

/**
 * Job keys that need no action here: every job runs on this amd64 machine
 * with its Docker daemon, and `arch` is checked separately.
 */
const DESCRIPTIVE_KEYS = new Set([
  'stage',
  'name',
  'os',
  'dist',
  'arch',
  'services',
  'language',
  'env',
]);

export interface TravisEvent {
  /** Branch of the simulated push. */
  readonly branch: string;
  readonly repositorySlug: string;
  /** Values of the repository settings that the pipeline reads. */
  readonly settings: Readonly<Record<string, string>>;
}

type YamlMap = Record<string, unknown>;

function asStringList(value: unknown, where: string): string[] {
  if (value === undefined) {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (typeof entry !== 'string') {
      throw new Error(
        `${where}: expected strings, found ${JSON.stringify(entry)}`,
      );
    }
    return entry;
  });
}

/** Travis exports each `env` entry in the job shell before any phase. */
function envSteps(entries: readonly string[]): Step[] {
  return entries.map((entry, index) => ({
    phase: 'env',
    index,
    command: `export ${entry}`,
    runIf: 'ok',
    onFailure: 'error',
  }));
}

function phaseSteps(job: YamlMap): Step[] {
  return PHASES.flatMap((phase) =>
    asStringList(job[phase.name], phase.name).map((command, index) => ({
      phase: phase.name,
      index,
      command,
      runIf: phase.runIf,
      onFailure: phase.onFailure,
    })),
  );
}

function checkJobKeys(job: YamlMap, name: string): void {
  const phases = new Set(PHASES.map((phase) => phase.name));
  for (const key of Object.keys(job)) {
    if (!phases.has(key) && !DESCRIPTIVE_KEYS.has(key)) {
      throw new Error(
        `job "${name}": key "${key}" is not supported by the e2e runner`,
      );
    }
  }
  if (job.arch !== undefined && job.arch !== 'amd64') {
    throw new Error(
      `job "${name}": arch ${String(job.arch)} needs a native runner, but this machine is amd64`,
    );
  }
}

function eventVariables(event: TravisEvent): Record<string, string> {
  return {
    CI: 'true',
    TRAVIS: 'true',
    TRAVIS_EVENT_TYPE: 'push',
    TRAVIS_BRANCH: event.branch,
    TRAVIS_PULL_REQUEST: 'false',
    TRAVIS_TAG: '',
    TRAVIS_REPO_SLUG: event.repositorySlug,
    TRAVIS_OS_NAME: 'linux',
    TRAVIS_CPU_ARCH: 'amd64',
    ...event.settings,
  };
}

function stageOrder(file: YamlMap, jobs: readonly Job[]): Stage[] {
  const declared = (Array.isArray(file.stages) ? file.stages : []).map(
    (entry: unknown) =>
      typeof entry === 'string'
        ? { name: entry }
        : {
            name: String((entry as YamlMap).name),
            condition: (entry as YamlMap).if as string | undefined,
          },
  );
  const names = [...declared.map((stage) => stage.name)];
  for (const job of jobs) {
    if (!names.includes(job.stage)) {
      names.push(job.stage);
    }
  }
  return names.map((name) => ({
    name,
    condition: declared.find((stage) => stage.name === name)?.condition,
    jobs: jobs.filter((job) => job.stage === name),
  }));
}

export function readTravisPipeline(file: string, event: TravisEvent): Pipeline {
  const yaml = parse(fs.readFileSync(file, 'utf8')) as YamlMap;
  const globalEnv = asStringList(
    (yaml.env as YamlMap | undefined)?.global,
    'env.global',
  );
  const include = ((yaml.jobs as YamlMap | undefined)?.include ??
    []) as YamlMap[];
  // A job without `stage` belongs to the stage of the job before it.
  let stage = 'test';
  const jobs = include.map((entry, position): Job => {
    stage = typeof entry.stage === 'string' ? entry.stage : stage;
    const name =
      typeof entry.name === 'string' ? entry.name : `job ${position + 1}`;
    checkJobKeys(entry, name);
    const jobEnv = asStringList(entry.env, `job "${name}" env`);
    return {
      ci: 'travis',
      stage,
      name,
      steps: [...envSteps([...globalEnv, ...jobEnv]), ...phaseSteps(entry)],
      variables: {
        ...eventVariables(event),
        TRAVIS_JOB_NAME: name,
        TRAVIS_BUILD_STAGE_NAME: stage,
      },
      notes: [],
    };
  });
  return { ci: 'travis', file, stages: stageOrder(yaml, jobs) };
}
