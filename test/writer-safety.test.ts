/**
 * The writer's handling of folders it cannot create and of files left by
 * an interrupted run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers/cli';

/** A time limit, so a loop fails the test instead of hanging the run. */
function runBounded(args: readonly string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 20_000,
  });
}

const hasProc = fs.existsSync('/proc/self');
if (!hasProc) {
  console.log('skipping the /proc cases: this system has no /proc');
}

describe.skipIf(!hasProc)('output folders that cannot be created', () => {
  it.each([
    [['--arch', 'arm64', '--out', '/proc/gen-ci-x/y']],
    [['init', '--out', '/proc/gen-ci-x']],
  ])('gen-ci %j stops with a usage error', (args) => {
    const result = runBounded(args, tempDir());
    expect(result.signal).toBeNull();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/proc/gen-ci-x');
  });
});

describe('temporary files of an interrupted run', () => {
  it('removes only gen-ci temporaries next to the files it writes', () => {
    const dir = tempDir();
    const args = ['--arch', 'arm64', '--image', 'example/app'];
    expect(runBounded(args, dir).status).toBe(0);
    // Process ids above Linux's largest pid_max, so no such process runs.
    const stale = [
      '.Dockerfile.arm64.99999998.gen-ci-tmp',
      '.travis.yml.99999999.gen-ci-tmp',
      '.travis.yml.backup.99999999-42.gen-ci-tmp',
    ];
    const kept = ['.notes.gen-ci-tmp', 'keep.14426.gen-ci-tmp', '.a.b.tmp'];
    for (const name of [...stale, ...kept]) {
      fs.writeFileSync(path.join(dir, name), '');
    }
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', stale[0]), '');
    expect(runBounded(args, dir).status).toBe(0);
    const left = fs.readdirSync(dir).filter((name) => name.includes('tmp'));
    expect(left.sort()).toEqual([...kept].sort());
    expect(fs.existsSync(path.join(dir, 'sub', stale[0]))).toBe(true);
  });
});

describe('files checked out with CRLF line ends', () => {
  const args = ['--arch', 'arm64', '--image', 'example/app'];

  function crlfCopy(edit: (text: string) => string): string {
    const dir = tempDir();
    expect(runBounded(args, dir).status).toBe(0);
    const file = path.join(dir, '.travis.yml');
    const text = edit(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, text.replace(/\n/g, '\r\n'));
    return dir;
  }

  it('count as unchanged when only the line ends differ', () => {
    const dir = crlfCopy((text) => text);
    expect(runBounded([...args, '--check'], dir).status).toBe(0);
    const result = runBounded(args, dir);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('edited by hand');
  });

  it('still count as edited when the text differs too', () => {
    const dir = crlfCopy((text) => `${text}# a note\n`);
    expect(runBounded([...args, '--check'], dir).status).toBe(1);
    const result = runBounded(args, dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('edited by hand');
  });
});
