/**
 * A write to stdout that fails with an error other than a closed pipe,
 * such as ENOSPC on a full disk, must not end with exit code 0, because
 * the caller would take the lost output for a complete one. On Linux,
 * every write to /dev/full fails with ENOSPC.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, tempDir } from './helpers/cli';

const FULL_DEVICE = '/dev/full';
const hasFullDevice = fs.existsSync(FULL_DEVICE);

if (!hasFullDevice) {
  console.log(`skipped: ${FULL_DEVICE} is missing on this system`);
}

/** Runs gen-ci in `cwd` with stdout opened on /dev/full. */
function runIntoFullDevice(args: readonly string[], cwd: string) {
  const stdout = fs.openSync(FULL_DEVICE, 'w');
  try {
    return spawnSync(process.execPath, [BIN, ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', stdout, 'pipe'],
    });
  } finally {
    fs.closeSync(stdout);
  }
}

describe.skipIf(!hasFullDevice)('stdout on a full disk', () => {
  it('fails validate --format json', () => {
    const dir = tempDir();
    const written = runCli(['--arch', 'arm64', '--image', 'example/app'], dir);
    expect(written.status).toBe(0);
    const result = runIntoFullDevice(['validate', '--format', 'json'], dir);
    expect(result.status).toBe(74);
    expect(result.stderr).toContain('ENOSPC');
  });

  it('fails a dry run without a stack trace', () => {
    const args = ['--arch', 'arm64', '--image', 'example/app', '--dry-run'];
    const result = runIntoFullDevice(args, tempDir());
    expect(result.status).toBe(74);
    expect(result.stderr).toBe(
      'gen-ci: error: cannot write the output (ENOSPC)\n',
    );
  });
});
