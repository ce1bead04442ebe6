/**
 * Runs a job's steps in one bash process, as Travis CI does: `export`s and
 * `cd`s of a step stay for the next one, and each step's output, exit
 * status and times go to files that the runner reads afterwards.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Job, Step } from './pipeline';
import { jobLabel, stepLabel } from './pipeline';
import type { ExecutedStep, JobExecutor, PlannedStep } from './runner';
import { shellQuote } from './runner';

const STATE_VARIABLE = 'e2e_job_state';
const STATUS_VARIABLE = 'e2e_step_status';

/** Bash `case` patterns for the job states in which a step runs. */
const RUN_PATTERNS = {
  ok: 'ok',
  'not-errored': 'ok|failed',
  failed: 'failed',
  always: '*',
} as const;

function stateUpdate(step: Step): string {
  switch (step.onFailure) {
    case 'error':
      return `${STATE_VARIABLE}=errored`;
    case 'fail':
      return `[ "$${STATE_VARIABLE}" != ok ] || ${STATE_VARIABLE}=failed`;
    case 'ignore':
      return ':';
  }
}

/** Returns the bash lines that run step number `index`. */
function stepBlock(step: Step, index: number, stepDir: string): string[] {
  const file = (suffix: string) =>
    shellQuote(path.join(stepDir, `${index}.${suffix}`));
  return [
    `# ${stepLabel(step)}`,
    `case "$${STATE_VARIABLE}" in ${RUN_PATTERNS[step.runIf]})`,
    `  printf '%s\\n' "$EPOCHREALTIME" >${file('start')}`,
    `  eval "$(cat ${file('sh')})" >${file('log')} 2>&1 </dev/null`,
    `  ${STATUS_VARIABLE}=$?`,
    `  printf '%s %s\\n' "$${STATUS_VARIABLE}" "$EPOCHREALTIME" >${file('status')}`,
    `  [ "$${STATUS_VARIABLE}" -eq 0 ] || { ${stateUpdate(step)}; }`,
    '  ;;',
    'esac',
  ];
}

function driverScript(job: Job, stepDir: string, workdir: string): string {
  return [
    `# Runs the steps of ${jobLabel(job)} in one shell, as the CI does.`,
    'set +e',
    `${STATE_VARIABLE}=ok`,
    `cd ${shellQuote(workdir)} || exit 97`,
    ...job.steps.flatMap((step, index) => stepBlock(step, index, stepDir)),
    '',
  ].join('\n');
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function readStep(stepDir: string, index: number): ExecutedStep {
  const file = (suffix: string) => path.join(stepDir, `${index}.${suffix}`);
  const output = readIfExists(file('log')) ?? '';
  const start = readIfExists(file('start'));
  const statusLine = readIfExists(file('status'));
  if (statusLine === undefined) {
    return { output, unfinished: start !== undefined };
  }
  const [status, end] = statusLine.trim().split(' ');
  return {
    status: Number(status),
    seconds: Number(end) - Number(start),
    output,
  };
}

export interface ShellExecutorOptions {
  /** The generated files; every job gets its own copy. */
  readonly workspace: string;
  /** The complete environment of the job shells, before job variables. */
  readonly shellEnv: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

export function createShellExecutor(
  options: ShellExecutorOptions,
): JobExecutor {
  return {
    prepareWorkdir(_job, folder) {
      const workdir = path.join(folder, 'work');
      fs.cpSync(options.workspace, workdir, { recursive: true });
      return workdir;
    },
    execute(job, planned: readonly PlannedStep[], workdir, folder) {
      const stepDir = path.join(folder, 'steps');
      fs.mkdirSync(stepDir, { recursive: true });
      planned.forEach((entry, index) =>
        fs.writeFileSync(
          path.join(stepDir, `${index}.sh`),
          `${entry.command}\n`,
        ),
      );
      const driver = path.join(folder, 'job.sh');
      fs.writeFileSync(driver, driverScript(job, stepDir, workdir));
      const shell = spawnSync('bash', [driver], {
        encoding: 'utf8',
        env: { ...options.shellEnv, ...job.variables },
        timeout: options.timeoutSeconds * 1000,
      });
      const steps = job.steps.map((_step, index) => readStep(stepDir, index));
      return { steps, error: shell.error?.message };
    },
  };
}
