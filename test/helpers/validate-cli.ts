/**
 * Runs `gen-ci validate` and `gen-ci schemas` as a user would, with the
 * schema cache in a temporary folder so that tests never read or write
 * the real user cache.
 */
import { spawn, spawnSync } from 'node:child_process';
import { BIN, tempDir, type RunResult } from './cli';
import { sharedPath } from './shared';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

function environment(options: RunOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: '1',
    GEN_CI_SCHEMA_CACHE: tempDir('gen-ci-cache-'),
    GEN_CI_SCHEMA_BASE_URL: '',
    ...options.env,
  };
}

export function runGenCi(
  args: readonly string[],
  options: RunOptions = {},
): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir(),
    encoding: 'utf8',
    env: environment(options),
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Runs like runGenCi without blocking, so a test's HTTP server can respond. */
export function runGenCiAsync(
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tempDir(),
      env: environment(options),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `--schema-dir` flags for the public schemas in the shared folder. */
export function sharedSchemaFlags(): string[] {
  return [
    '--schema-dir',
    sharedPath('upstream/schemastore/schemas/json'),
    '--schema-dir',
    sharedPath('upstream/gitlab'),
  ];
}
