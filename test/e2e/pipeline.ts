/**
 * A CI-neutral model of a generated pipeline: stages of jobs, each job a
 * list of shell steps with the CI's rules for which steps run after a
 * failure. Each CI's reader (travis-pipeline.ts, gitlab-pipeline.ts) builds
 * this model from the generated file, and runner.ts runs it.
 */

/** `failed`: a step that fails the job ran. `errored`: set-up failed. */
export type JobState = 'ok' | 'failed' | 'errored';

/** The job states in which a step runs. */
export type RunCondition = 'ok' | 'not-errored' | 'failed' | 'always';

/** What a failing step does to the job's state. */
export type FailureEffect = 'error' | 'fail' | 'ignore';

export interface Step {
  /** The CI's name for the list the command comes from: `script`. */
  readonly phase: string;
  /** Position within the phase, from 0. */
  readonly index: number;
  readonly command: string;
  readonly runIf: RunCondition;
  readonly onFailure: FailureEffect;
}

export interface Job {
  readonly ci: string;
  readonly stage: string;
  readonly name: string;
  readonly steps: readonly Step[];
  /** Variables that the CI sets before the first step, taken literally. */
  readonly variables: Readonly<Record<string, string>>;
  /** How this machine differs from the job's runner, printed with it. */
  readonly notes: readonly string[];
}

export interface Stage {
  readonly name: string;
  /** The CI's condition for the stage, printed and assumed true. */
  readonly condition?: string;
  readonly jobs: readonly Job[];
}

export interface Pipeline {
  readonly ci: string;
  readonly file: string;
  readonly stages: readonly Stage[];
}

export function stepLabel(step: Step): string {
  return `${step.phase}[${step.index}]`;
}

export function jobLabel(job: Job): string {
  return `${job.ci} job "${job.name}" (stage ${job.stage})`;
}

/** Returns the job state after a step with this effect failed. */
export function stateAfterFailure(
  effect: FailureEffect,
  state: JobState,
): JobState {
  if (effect === 'error') {
    return 'errored';
  }
  if (effect === 'fail' && state === 'ok') {
    return 'failed';
  }
  return state;
}
