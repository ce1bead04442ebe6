/**
 * Runs a pipeline model on this machine: stages in order, no stage after
 * one with a failed job, each job through a CI-specific executor. Before a
 * job runs, its generated commands go through the test's substitutions and
 * known failures. Afterwards the CI's failure rules give the job's state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Job, JobState, Pipeline, Step } from './pipeline';
import { jobLabel, stateAfterFailure, stepLabel } from './pipeline';

/**
 * A generated step that this environment cannot run as written, and what
 * runs instead. Every use is printed with the reason.
 */
export interface Substitution {
  readonly id: string;
  readonly reason: string;
  /** Returns the replacement command, or undefined when not applicable. */
  replace(command: string, job: Job): string | undefined;
}

/** A check of a step that exited 0, such as "the build used no cache". */
export interface StepGuard {
  /** Returns what is wrong with the step, or undefined. */
  check(command: string, output: string): string | undefined;
}

/** A step as the executor runs it. */
export interface PlannedStep {
  readonly command: string;
  readonly substitution?: Substitution;
}

/** What the executor saw of one step. */
export interface ExecutedStep {
  /** Exit status; undefined when the step did not run or did not end. */
  readonly status?: number;
  readonly seconds?: number;
  readonly output: string;
  /** The step started but its end was not recorded. */
  readonly unfinished?: boolean;
}

/** Runs jobs the way one CI does. */
export interface JobExecutor {
  /** Returns the folder holding the job's copy of the generated files. */
  prepareWorkdir(job: Job, folder: string): string;
  /** Runs the planned steps; returns one entry per step, in order. */
  execute(
    job: Job,
    planned: readonly PlannedStep[],
    workdir: string,
    folder: string,
  ): { steps: ExecutedStep[]; error?: string };
}

export interface RunContext {
  /** Folder for job copies, step scripts and logs. */
  readonly runDir: string;
  readonly executor: JobExecutor;
  readonly substitutions: readonly Substitution[];
  readonly guards: readonly StepGuard[];
  /** Puts the daemon in the state of a fresh CI machine for the job. */
  prepareJob(job: Job, workdir: string, commands: readonly string[]): void;
  readonly log: (line: string) => void;
}

export interface StepResult extends ExecutedStep {
  readonly step: Step;
  /** The command that ran: the generated one or its substitute. */
  readonly command: string;
  readonly substitution?: Substitution;
  /** What a guard or the runner found wrong, beyond the exit status. */
  readonly problem?: string;
}

export interface JobResult {
  readonly job: Job;
  readonly state: JobState;
  readonly steps: readonly StepResult[];
  readonly seconds: number;
}

export interface PipelineResult {
  readonly pipeline: Pipeline;
  readonly jobs: readonly JobResult[];
  /** Stages not run because an earlier stage had a failed job. */
  readonly skippedStages: readonly string[];
}

const OUTPUT_TAIL_LINES = 60;
/** Lines that the test's docker wrapper prints when it adds an option. */
const WRAPPER_PREFIX = 'e2e docker wrapper:';

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Returns the command that runs for a generated step, and why. */
export function planStep(
  command: string,
  job: Job,
  context: Pick<RunContext, 'substitutions'>,
): PlannedStep {
  const substitution = context.substitutions.find(
    (candidate) => candidate.replace(command, job) !== undefined,
  );
  const replaced = substitution?.replace(command, job) ?? command;
  return { command: replaced, substitution };
}

function applyGuards(result: StepResult, guards: readonly StepGuard[]) {
  if (result.status !== 0 || result.problem !== undefined) {
    return result;
  }
  for (const guard of guards) {
    const problem = guard.check(result.command, result.output);
    if (problem !== undefined) {
      return { ...result, problem };
    }
  }
  return result;
}

function stepFailed(result: StepResult): boolean {
  if (result.problem !== undefined) {
    return true;
  }
  const ran = result.status !== undefined;
  return ran && result.status !== 0;
}

/** Replays the CI's rules over the step results to get the job's state. */
function finalState(results: readonly StepResult[]): JobState {
  let state: JobState = 'ok';
  for (const result of results) {
    if (stepFailed(result)) {
      const effect = result.problem ? 'error' : result.step.onFailure;
      state = stateAfterFailure(effect, state);
    }
  }
  return state;
}

function verdict(result: StepResult): string {
  if (result.status === undefined && result.problem === undefined) {
    return 'skip';
  }
  if (stepFailed(result)) {
    return 'FAIL';
  }
  return 'ok';
}

function logStep(result: StepResult, log: (line: string) => void) {
  const mark = verdict(result);
  const time =
    result.seconds === undefined ? '' : `${result.seconds.toFixed(1)}s`;
  log(
    `    ${mark.padEnd(5)} ${time.padStart(6)} ${stepLabel(result.step)}: ${result.command}`,
  );
  const note = (text: string) => log(`                 ${text}`);
  if (result.substitution) {
    note(`substituted (${result.substitution.id}) for: ${result.step.command}`);
  }
  for (const line of result.output.split('\n')) {
    if (line.startsWith(WRAPPER_PREFIX)) {
      note(line);
    }
  }
}

function jobFolder(runDir: string, job: Job): string {
  const slug = `${job.ci}-${job.stage}-${job.name}`.replace(
    /[^A-Za-z0-9]+/g,
    '-',
  );
  let folder = path.join(runDir, slug);
  for (let suffix = 2; fs.existsSync(folder); suffix += 1) {
    folder = path.join(runDir, `${slug}-${suffix}`);
  }
  fs.mkdirSync(folder, { recursive: true });
  return folder;
}

export function runJob(job: Job, context: RunContext): JobResult {
  const folder = jobFolder(context.runDir, job);
  context.log(`  ${jobLabel(job)}`);
  for (const note of job.notes) {
    context.log(`    note: ${note}`);
  }

  // 1. Decide what runs, then prepare the daemon for exactly that.
  const planned = job.steps.map((step) => planStep(step.command, job, context));
  const workdir = context.executor.prepareWorkdir(job, folder);
  context.prepareJob(
    job,
    workdir,
    planned.map((entry) => entry.command),
  );

  // 2. Run the steps.
  const started = Date.now();
  const executed = context.executor.execute(job, planned, workdir, folder);
  const seconds = (Date.now() - started) / 1000;

  // 3. Apply the guards and the CI's failure rules.
  const steps = job.steps.map((step, index) => {
    const entry = executed.steps[index] ?? { output: '' };
    const problem = entry.unfinished
      ? 'did not finish: the job ended during this step (timeout or exit)'
      : undefined;
    const result: StepResult = { step, ...planned[index], ...entry, problem };
    return applyGuards(result, context.guards);
  });
  const state = executed.error ? 'errored' : finalState(steps);
  steps.forEach((result) => logStep(result, context.log));
  if (executed.error) {
    context.log(`    the job could not run: ${executed.error}`);
  }
  context.log(`    job ${state} in ${seconds.toFixed(1)}s`);
  return { job, state, steps, seconds };
}

export function runPipeline(
  pipeline: Pipeline,
  context: RunContext,
): PipelineResult {
  const jobs: JobResult[] = [];
  const skippedStages: string[] = [];
  context.log(`${pipeline.ci} pipeline ${pipeline.file}`);
  for (const stage of pipeline.stages) {
    if (jobs.some((result) => result.state !== 'ok')) {
      skippedStages.push(stage.name);
      context.log(`  stage ${stage.name}: not run, an earlier stage failed`);
      continue;
    }
    const condition = stage.condition
      ? `, condition assumed true: ${stage.condition}`
      : '';
    context.log(`  stage ${stage.name}${condition}`);
    for (const job of stage.jobs) {
      jobs.push(runJob(job, context));
    }
  }
  return { pipeline, jobs, skippedStages };
}

function indent(text: string): string {
  // The legacy builder colours its error output.
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '').replace(/\n$/, '');
  const lines = plain.split('\n');
  const tail = lines.slice(-OUTPUT_TAIL_LINES);
  const cut = lines.length - tail.length;
  const head = cut > 0 ? [`      … ${cut} earlier lines cut`] : [];
  return [...head, ...tail.map((line) => `      | ${line}`)].join('\n');
}

/** Describes the step that failed a job: job, step, command and output. */
export function describeFailure(result: JobResult): string {
  const failed = result.steps.find(stepFailed);
  if (failed === undefined) {
    return `${jobLabel(result.job)} ${result.state} without a failed step: the job could not run`;
  }
  const reason = failed.problem ?? `exit status ${failed.status}`;
  const lines = [
    `${jobLabel(result.job)} ${result.state} at ${stepLabel(failed.step)}: ${reason}`,
    `    command: ${failed.command}`,
  ];
  if (failed.substitution) {
    lines.push(
      `    substituted (${failed.substitution.id}) for: ${failed.step.command}`,
    );
  }
  lines.push('    output:', indent(failed.output || '(none)'));
  return lines.join('\n');
}

/** Throws one error that describes every failed job. */
export function assertPipelinePassed(result: PipelineResult): void {
  const failed = result.jobs.filter((job) => job.state !== 'ok');
  if (failed.length === 0) {
    return;
  }
  const skipped = result.skippedStages.length
    ? `\nstages not run: ${result.skippedStages.join(', ')}`
    : '';
  const details = failed.map(describeFailure).join('\n\n');
  throw new Error(
    `${result.pipeline.ci} pipeline failed:\n${details}${skipped}`,
  );
}
