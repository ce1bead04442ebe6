/**
 * Output into a pipe that the reader closed early, as `gen-ci ... | head`
 * does: no stack trace, and the command's own exit code.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers/cli';

interface ClosedRun {
  readonly status: number | null;
  readonly stderr: string;
}

/** Runs gen-ci with its stdout closed before it writes anything. */
function runWithClosedStdout(args: readonly string[]): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tempDir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const ARGS = ['--arch', 'ppc64le,s390x,arm64', '--ci', 'travis,gitlab,github'];

describe('a closed stdout', () => {
  it('ends a dry run quietly with exit code 0', async () => {
    const result = await runWithClosedStdout([
      ...ARGS,
      '--image',
      'example/app',
      '--dry-run',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('keeps the exit code of a check that found missing files', async () => {
    const result = await runWithClosedStdout([
      ...ARGS,
      '--image',
      'example/app',
      '--check',
    ]);
    expect(result.stderr).not.toMatch(/EPIPE|at .*\(/);
    expect(result.status).toBe(1);
  });
});
