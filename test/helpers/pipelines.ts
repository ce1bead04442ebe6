/**
 * Reads generated pipelines the way their CI would. The YAML is parsed
 * under both versions, and every shell line is collected with the
 * variables its job sets. The lines then run in bash, where a `docker`
 * function records its arguments instead of running anything.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import type { GeneratedFile } from '../../src/targets/types';
import { tempDir } from './cli';

type Json = Record<string, unknown>;

/** Parses `text` as YAML 1.1 and 1.2 and checks both read the same. */
export function parseBothVersions(text: string): Json {
  const v11 = parse(text, { version: '1.1' }) as Json;
  const v12 = parse(text, { version: '1.2' }) as Json;
  expect(v11).toEqual(v12);
  return v12;
}

/** Shell lines that one CI job runs, with the variables the CI sets. */
export interface ShellContext {
  readonly job: string;
  readonly env: Record<string, string>;
  readonly lines: readonly string[];
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? (value as string[]) : [];

function travisContexts(yaml: Json): ShellContext[] {
  const globals = list((yaml.env as Json | undefined)?.global);
  const jobs = (yaml.jobs as { include: Json[] }).include;
  return jobs.map((job) => ({
    job: String(job.name),
    env: { TRAVIS_PULL_REQUEST: 'false', TRAVIS_BRANCH: 'main' },
    lines: [
      ...globals,
      ...list(job.before_install),
      ...list(job.before_script),
      ...list(job.script),
    ],
  }));
}

function gitlabContexts(yaml: Json): ShellContext[] {
  const variables = (yaml.variables ?? {}) as Record<string, string>;
  const base = {
    ...variables,
    IMAGE: 'registry.example.com/group/app',
    CI_COMMIT_BRANCH: 'main',
    CI_COMMIT_REF_PROTECTED: 'true',
  };
  const script = list((yaml['.build'] as Json).script);
  const contexts: ShellContext[] = [];
  for (const [name, value] of Object.entries(yaml)) {
    const job = value as Json;
    if (job?.extends !== '.build') {
      continue;
    }
    const matrix = (job.parallel as { matrix: Record<string, string>[] }).matrix;
    for (const entry of matrix) {
      contexts.push({
        job: `${name} ${entry.ARCH}`,
        env: { ...base, ...entry },
        lines: [...list(job.before_script), ...script],
      });
    }
  }
  const manifest = yaml.manifest as Json;
  contexts.push({ job: 'manifest', env: base, lines: list(manifest.script) });
  return contexts;
}

/** Values for the expressions that gen-ci puts in a step's `env:`. */
function expressionValues(leg: Json): Record<string, string> {
  return {
    'matrix.slug': String(leg.slug ?? ''),
    'matrix.platform': String(leg.platform ?? ''),
    'github.repository': 'Owner/Repo',
    'steps.build.outputs.digest': `sha256:${'0'.repeat(64)}`,
    'steps.meta.outputs.tags': 'ghcr.io/owner/repo:latest',
  };
}

function evaluateEnv(env: Json | undefined, leg: Json): Record<string, string> {
  const values = expressionValues(leg);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env ?? {})) {
    out[key] = String(value).replace(
      /\$\{\{\s*([^}]*?)\s*\}\}/g,
      (_, name: string) => values[name] ?? '',
    );
  }
  return out;
}

function githubContexts(yaml: Json): ShellContext[] {
  const workflowEnv = (yaml.env ?? {}) as Record<string, string>;
  const jobs = yaml.jobs as Record<string, Json>;
  const build = jobs.build;
  const legs = (build.strategy as { matrix: { include: Json[] } }).matrix
    .include;
  const contexts: ShellContext[] = [];
  const add = (name: string, job: Json, leg: Json) => {
    for (const step of job.steps as Json[]) {
      if (typeof step.run !== 'string') {
        continue;
      }
      const env = { IMAGE: 'ghcr.io/owner/repo', ...workflowEnv };
      contexts.push({
        job: `${name} ${String(step.name)}`,
        env: { ...env, ...evaluateEnv(step.env as Json, leg) },
        lines: [step.run],
      });
    }
  };
  for (const leg of legs) {
    add(`build ${String(leg.slug)}`, build, leg);
  }
  add('merge', jobs.merge, {});
  return contexts;
}

/** Collects every shell context of a generated pipeline file. */
export function shellContexts(file: GeneratedFile): ShellContext[] {
  const yaml = parseBothVersions(file.content);
  if (file.path === '.travis.yml') {
    return travisContexts(yaml);
  }
  if (file.path === '.gitlab-ci.yml') {
    return gitlabContexts(yaml);
  }
  return githubContexts(yaml);
}

/** One `docker` call: its arguments and the job that made it. */
export interface DockerCall {
  readonly job: string;
  readonly args: readonly string[];
}

export interface ScriptRun {
  readonly calls: readonly DockerCall[];
  /** Exit status of each line; a missing status means bash stopped. */
  readonly statuses: readonly number[];
  readonly lineCount: number;
  readonly stderr: string;
}

/** Quotes for bash without relying on the code under test. */
function quote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

// The stub writes each argument followed by US and each call by RS, which
// no accepted value contains (control characters are rejected).
const STUB = [
  'docker() {',
  `  { printf '%s\\037' "$GEN_CI_JOB" "$@"; printf '\\036'; } >> "$DOCKER_LOG"`,
  '}',
].join('\n');

function contextScript(context: ShellContext, index: number): string {
  const exports = Object.entries(context.env).map(
    ([key, value]) => `export ${key}=${quote(value)}`,
  );
  const lines = context.lines.map(
    (line) =>
      `(\n${line}\n) </dev/null >/dev/null 2>&1; printf '%s\\n' "$?" >> "$STATUS_LOG"`,
  );
  return [
    '(',
    `export GEN_CI_JOB=${quote(`${index}`)}`,
    ...exports,
    ...lines,
    ')',
  ].join('\n');
}

function readCalls(log: string, contexts: readonly ShellContext[]) {
  if (!fs.existsSync(log)) {
    return [];
  }
  const records = fs.readFileSync(log, 'utf8').split('\x1e').slice(0, -1);
  return records.map((record) => {
    const [index, ...args] = record.split('\x1f').slice(0, -1);
    return { job: contexts[Number(index)].job, args };
  });
}

/**
 * Runs every line of every context in one bash process, each line in its
 * own subshell as a CI runs each script entry, with `docker` stubbed and
 * the working folder set to `cwd`.
 */
export function runContexts(
  contexts: readonly ShellContext[],
  cwd: string = tempDir('gen-ci-run-'),
): ScriptRun {
  const dockerLog = path.join(cwd, '.docker-calls');
  const statusLog = path.join(cwd, '.statuses');
  const script = [STUB, ...contexts.map(contextScript)].join('\n');
  const result = spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: cwd,
      DOCKER_LOG: dockerLog,
      STATUS_LOG: statusLog,
      RUNNER_TEMP: cwd,
      GITHUB_ENV: path.join(cwd, '.github-env'),
    },
  });
  const statuses = fs.existsSync(statusLog)
    ? fs.readFileSync(statusLog, 'utf8').trim().split('\n').filter(Boolean).map(Number)
    : [];
  return {
    calls: readCalls(dockerLog, contexts),
    statuses,
    lineCount: contexts.reduce((sum, context) => sum + context.lines.length, 0),
    stderr: result.stderr,
  };
}

/** Returns the value after each `--build-arg` of a `docker build` call. */
export function buildArgValues(call: DockerCall): string[] {
  const values: string[] = [];
  call.args.forEach((arg, index) => {
    if (arg === '--build-arg') {
      values.push(call.args[index + 1]);
    }
  });
  return values;
}

/**
 * Parses build-push-action's `build-args` input as its list parser does
 * (docker/actions-toolkit `Util.getInputList` with `ignoreComma`). Each
 * line is one CSV record whose fields are joined by commas again, and a
 * field in double quotes may contain `""` for a quote. Each item is then
 * trimmed. Only the forms gen-ci writes are handled: a line is either
 * unquoted or one quoted field.
 */
export function parseBuildArgsInput(input: string): string[] {
  return input
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      if (!line.startsWith('"')) {
        return line.trim();
      }
      expect(line.endsWith('"'), line).toBe(true);
      const inner = line.slice(1, -1);
      expect(inner.replace(/""/g, ''), line).not.toContain('"');
      return inner.replace(/""/g, '"').trim();
    });
}
