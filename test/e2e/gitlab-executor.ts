/**
 * Runs one GitLab job at a time with gitlab-ci-local in the host shell.
 * Before each job the generated .gitlab-ci.yml is rewritten for this
 * machine: the job's planned commands replace the generated lines, and the
 * Docker-in-Docker services go, because the host's daemon serves instead.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { GitlabProject } from './gitlab-pipeline';
import { GITLAB_CI_LOCAL, variableOptions } from './gitlab-pipeline';
import type { Job } from './pipeline';
import type { ExecutedStep, JobExecutor, PlannedStep } from './runner';

const SCRIPT_KEYS = new Set(['before_script', 'script', 'after_script']);

/** Returns the generated file with the given lines replaced and no services. */
function rewritePipeline(
  generated: string,
  replacements: Map<string, string>,
): string {
  const document = parseDocument(generated);
  visit(document, {
    Pair(_key, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'services') {
        return visit.REMOVE;
      }
      if (SCRIPT_KEYS.has(key) && isSeq(pair.value)) {
        for (const item of pair.value.items) {
          if (isScalar(item) && replacements.has(String(item.value))) {
            item.value = replacements.get(String(item.value));
          }
        }
      }
      return undefined;
    },
  });
  return document.toString({ lineWidth: 0 });
}

/** Splits a gitlab-ci-local job log at its `$ command` lines. */
function splitLog(log: string): string[] {
  const outputs: string[] = [];
  for (const line of log.split('\n')) {
    if (line.startsWith('$ ')) {
      outputs.push('');
    } else if (outputs.length > 0) {
      outputs[outputs.length - 1] += `${line}\n`;
    }
  }
  return outputs;
}

function readJobLog(stateDir: string): string | undefined {
  const outputDir = path.join(stateDir, 'output');
  const files = fs.existsSync(outputDir) ? fs.readdirSync(outputDir) : [];
  if (files.length !== 1) {
    return undefined;
  }
  return fs.readFileSync(path.join(outputDir, files[0]), 'utf8');
}

/**
 * Turns the log and the job's result into one entry per step. The steps
 * before the last one that started passed; that one failed with the job's
 * exit code unless the job passed. The reader rejects after_script, whose
 * lines this split could not tell apart.
 */
function stepResults(job: Job, log: string, exitCode: number): ExecutedStep[] {
  const outputs = splitLog(log);
  return job.steps.map((_step, index) => {
    if (index >= outputs.length) {
      return { output: '' };
    }
    const failed = exitCode !== 0 && index === outputs.length - 1;
    return { status: failed ? exitCode : 0, output: outputs[index] };
  });
}

export interface GitlabExecutorOptions {
  readonly project: GitlabProject;
  /** Environment of gitlab-ci-local, which its shell jobs inherit. */
  readonly shellEnv: Readonly<Record<string, string>>;
  /** CI/CD variables of the project settings, such as credentials. */
  readonly settings: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

/** Writes the pipeline file in which the job's steps are the planned ones. */
function writePipeline(
  options: GitlabExecutorOptions,
  job: Job,
  planned: readonly PlannedStep[],
  folder: string,
): void {
  const replacements = new Map(
    job.steps.map((step, index) => [step.command, planned[index].command]),
  );
  const rewritten = rewritePipeline(options.project.generated, replacements);
  fs.writeFileSync(path.join(options.project.dir, '.gitlab-ci.yml'), rewritten);
  fs.writeFileSync(path.join(folder, 'gitlab-ci.yml'), rewritten);
}

/** Runs one job in the host shell; returns gitlab-ci-local's result. */
function runGitlabCiLocal(
  options: GitlabExecutorOptions,
  job: Job,
  folder: string,
) {
  const variables = variableOptions({
    ...options.project.eventVariables,
    ...options.settings,
  });
  const result = spawnSync(
    process.execPath,
    [
      GITLAB_CI_LOCAL,
      '--no-color',
      '--force-shell-executor',
      '--home',
      path.join(folder, 'gitlab-ci-local-home'),
      ...variables,
      job.name,
    ],
    {
      cwd: options.project.dir,
      encoding: 'utf8',
      env: options.shellEnv,
      timeout: options.timeoutSeconds * 1000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  fs.writeFileSync(path.join(folder, 'gitlab-ci-local.out'), output);
  return { status: result.status, output, error: result.error };
}

export function createGitlabExecutor(
  options: GitlabExecutorOptions,
): JobExecutor {
  const stateDir = path.join(options.project.dir, '.gitlab-ci-local');
  return {
    prepareWorkdir() {
      // gitlab-ci-local copies the tracked files into a fresh folder per job.
      return options.project.dir;
    },
    execute(job: Job, planned: readonly PlannedStep[], _workdir, folder) {
      writePipeline(options, job, planned, folder);
      fs.rmSync(path.join(stateDir, 'output'), {
        recursive: true,
        force: true,
      });

      const result = runGitlabCiLocal(options, job, folder);
      const log = readJobLog(stateDir);
      if (result.error || log === undefined) {
        const reason =
          result.error?.message ?? 'gitlab-ci-local wrote no job log';
        const steps = job.steps.map(() => ({ output: '' }));
        return { steps, error: `${reason}\n${result.output}` };
      }

      // gitlab-ci-local ends a failed job with "FAIL <exit code>".
      const failure = /FAIL (\d+)/.exec(result.output);
      const exitCode = result.status === 0 ? 0 : Number(failure?.[1] ?? 1);
      return { steps: stepResults(job, log, exitCode) };
    },
  };
}
