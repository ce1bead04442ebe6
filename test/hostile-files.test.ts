/**
 * The command line against hostile files and folders. The cases are
 * folders, FIFOs, devices and huge files where a file is expected, alias
 * bombs, output folders that reject writes, symbolic links that lead out
 * of --out, and a rerun after a run was killed mid-write. Each case ends
 * with a clear one-line error and an exit code, and nothing is written
 * outside --out.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyHashStatus } from '../src/body-hash';
import { MAX_INPUT_BYTES } from '../src/input-file';
import { BIN, listFiles, runCli, tempDir } from './helpers/cli';

const ARGS = ['--arch', 'arm64,s390x', '--image', 'example/app'];

/** Runs the CLI and fails the test if it takes longer than `seconds`. */
function runTimed(args: readonly string[], cwd: string, seconds = 20) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: seconds * 1000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...result, elapsed: Date.now() - started };
}

/** Checks exit 2 and one error line that matches `pattern`. */
function expectUsageError(result: { status: number | null; stderr: string }, pattern: RegExp) {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^gen-ci: error: [^\n]*\n$/);
  expect(result.stderr).toMatch(pattern);
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((name) => {
      const file = path.join(dir, name);
      const stat = fs.lstatSync(file);
      return [name, stat.isFile() ? fs.readFileSync(file, 'utf8') : 'link'];
    }),
  );
}

describe('input that is not a regular file', () => {
  it('rejects a config that is a directory', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'conf.yml'));
    expectUsageError(runCli(['--config', 'conf.yml'], dir), /conf\.yml: it is a directory/);
    expect(listFiles(dir)).toEqual([]);
  });

  it('rejects a discovered gen-ci.yml that is a directory', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'gen-ci.yml'));
    expectUsageError(runCli(ARGS, dir), /gen-ci\.yml: it is a directory/);
    expect(listFiles(dir)).toEqual([]);
  });

  it('rejects a Dockerfile that is a directory', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'docker'));
    expectUsageError(runCli([...ARGS, '--dockerfile', 'docker'], dir), /docker: it is a directory/);
    expect(listFiles(dir)).toEqual([]);
  });

  it('rejects a FIFO without waiting for a writer', () => {
    const dir = tempDir();
    const made = spawnSync('mkfifo', [path.join(dir, 'fifo.yml')]);
    if (made.status !== 0) {
      console.log('skipped: mkfifo is not available here');
      return;
    }
    const result = runTimed(['--config', 'fifo.yml'], dir);
    expectUsageError(result, /fifo\.yml: it is a FIFO, socket or block device/);
  });

  it('stops reading /dev/zero at the size limit', () => {
    const dir = tempDir();
    const result = runTimed(['--config', '/dev/zero'], dir);
    expectUsageError(result, /\/dev\/zero: it is larger than the limit/);
    const dockerfile = runTimed([...ARGS, '--dockerfile', '/dev/zero'], dir);
    expectUsageError(dockerfile, /larger than the limit/);
    expect(listFiles(dir)).toEqual([]);
  });

  it('reads /dev/null as an empty config', () => {
    const dir = tempDir();
    const result = runTimed([...ARGS, '--config', '/dev/null'], dir);
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('oversized and malicious config files', () => {
  it('rejects a 50 MB config before reading it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'gen-ci.yml');
    fs.writeFileSync(file, 'arch: [arm64]\n');
    // A sparse file: 50 MB long without writing 50 MB.
    fs.truncateSync(file, 50 * 1024 * 1024);
    const result = runTimed([], dir, 10);
    expectUsageError(result, new RegExp(`larger than the limit of ${MAX_INPUT_BYTES} bytes`));
    expect(listFiles(dir)).toEqual(['gen-ci.yml']);
  });

  it('rejects a 50 MB Dockerfile before reading it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, 'FROM alpine:3.22\n');
    fs.truncateSync(file, 50 * 1024 * 1024);
    expectUsageError(runTimed(ARGS, dir, 10), /Dockerfile: it is larger than the limit/);
    expect(listFiles(dir)).toEqual(['Dockerfile']);
  });

  it('rejects an alias bomb quickly', () => {
    const dir = tempDir();
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 12; level += 1) {
      const refs = Array.from({ length: 10 }, () => `*a${level - 1}`);
      lines.push(`a${level}: &a${level} [${refs.join(', ')}]`);
    }
    fs.writeFileSync(path.join(dir, 'bomb.yml'), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'alias.yml'), 'arch: &list [arm64]\nbuild-arg: *list\n');
    const bomb = runTimed(['--config', 'bomb.yml'], dir, 10);
    expectUsageError(bomb, /bomb\.yml:1:1: unknown key "a0"/);
    expect(bomb.elapsed).toBeLessThan(10_000);
    expectUsageError(runTimed(['--config', 'alias.yml'], dir, 10), /alias\.yml:2:\d+: "build-arg" must be .*not an alias/);
    expect(listFiles(dir)).toEqual(['alias.yml', 'bomb.yml']);
  });

  it('rejects deeply nested YAML without crashing', () => {
    const dir = tempDir();
    const depth = 50_000;
    fs.writeFileSync(path.join(dir, 'deep.yml'), `arch: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    const result = runTimed(['--config', 'deep.yml'], dir, 30);
    expectUsageError(result, /deep\.yml:\d+:\d+: /);
  });
});

/** Reports whether this process can read a file whose mode is 000. */
function modeBlocksReads(): boolean {
  const file = path.join(tempDir(), 'probe');
  fs.writeFileSync(file, 'x');
  fs.chmodSync(file, 0o000);
  try {
    fs.readFileSync(file);
    return false;
  } catch {
    return true;
  }
}

describe('unreadable files', () => {
  it('rejects a config and a Dockerfile with mode 000', () => {
    if (!modeBlocksReads()) {
      console.log('skipped: this user reads files with mode 000 (root); the directory cases above cover the error path');
      return;
    }
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'gen-ci.yml'), 'arch: [arm64]\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile.in'), 'FROM alpine:3.22\n');
    fs.chmodSync(path.join(dir, 'gen-ci.yml'), 0o000);
    fs.chmodSync(path.join(dir, 'Dockerfile.in'), 0o000);
    expectUsageError(runCli([], dir), /cannot read .*gen-ci\.yml: EACCES/);
    const dockerfile = runCli([...ARGS, '--config', '/dev/null', '--dockerfile', 'Dockerfile.in'], dir);
    expect(dockerfile.status).toBe(2);
  });
});

describe('output folders that reject writes', () => {
  it('fails with exit 2 in an immutable folder, writing nothing', () => {
    const dir = tempDir();
    const locked = spawnSync('chattr', ['+i', dir], { encoding: 'utf8' });
    if (locked.status !== 0) {
      console.log(`skipped: chattr +i failed (${locked.stderr.trim() || locked.error}), so no folder here rejects root's writes`);
      return;
    }
    try {
      const result = runCli(ARGS, dir);
      expectUsageError(result, /cannot write \.travis\.yml/);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      spawnSync('chattr', ['-i', dir]);
    }
  });

  it('fails with exit 2 under /proc and /sys', () => {
    const cwd = tempDir();
    for (const out of ['/proc/self/gen-ci-out', '/sys/kernel/gen-ci-out']) {
      if (!fs.existsSync(path.dirname(out))) {
        console.log(`skipped: ${path.dirname(out)} does not exist here`);
        continue;
      }
      expectUsageError(runCli([...ARGS, '--out', out], cwd), /cannot write \.travis\.yml/);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});

describe('symbolic links that lead out of --out', () => {
  it('rejects a linked .github folder, writing nothing', () => {
    const dir = tempDir();
    const outside = tempDir('gen-ci-outside-');
    fs.symlinkSync(outside, path.join(dir, '.github'));
    const result = runCli([...ARGS, '--ci', 'github'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^gen-ci: error: cannot write \.github\/workflows\/multiarch\.yml: \.github is a symbolic link/);
    expect(listFiles(outside)).toEqual([]);
    expect(snapshot(dir)).toEqual({ '.github': 'link' });
  });

  it('rejects a linked .github/workflows folder', () => {
    const dir = tempDir();
    const outside = tempDir('gen-ci-outside-');
    fs.mkdirSync(path.join(dir, '.github'));
    fs.symlinkSync(outside, path.join(dir, '.github', 'workflows'));
    const result = runCli([...ARGS, '--ci', 'github'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('.github/workflows is a symbolic link');
    expect(listFiles(outside)).toEqual([]);
  });

  it('rejects a generated file that links outside, keeping the target', () => {
    const dir = tempDir();
    const outside = tempDir('gen-ci-outside-');
    const target = path.join(outside, 'passwd');
    fs.writeFileSync(target, 'root:x:0:0::/root:/bin/sh\n');
    fs.symlinkSync(target, path.join(dir, 'Dockerfile.arm64'));
    const result = runCli(ARGS, dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Dockerfile\.arm64 is a symbolic link/);
    expect(fs.readFileSync(target, 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');
    expect(snapshot(dir)).toEqual({ 'Dockerfile.arm64': 'link' });
  });

  it('rejects a Dockerfile in --out that links outside it', () => {
    const dir = tempDir();
    const outside = tempDir('gen-ci-outside-');
    const target = path.join(outside, 'secret');
    fs.writeFileSync(target, 'FROM alpine:3.22\nRUN echo secret\n');
    fs.symlinkSync(target, path.join(dir, 'Dockerfile'));
    expectUsageError(runCli(ARGS, dir), /Dockerfile is a symbolic link to .*outside --out/);
    expect(snapshot(dir)).toEqual({ Dockerfile: 'link' });
  });

  it('keeps a Dockerfile that links inside --out', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'docker'));
    fs.writeFileSync(path.join(dir, 'docker', 'Dockerfile'), 'FROM alpine:3.22\n');
    fs.symlinkSync(path.join('docker', 'Dockerfile'), path.join(dir, 'Dockerfile'));
    expect(runCli(ARGS, dir).status).toBe(0);
  });

  it('never prunes a generated file below a linked folder', () => {
    const source = tempDir();
    expect(runCli([...ARGS, '--ci', 'github'], source).status).toBe(0);
    const outside = path.join(source, '.github');
    const dir = tempDir();
    fs.symlinkSync(outside, path.join(dir, '.github'));
    const result = runCli([...ARGS, '--ci', 'travis', '--prune'], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(fs.existsSync(path.join(outside, 'workflows', 'multiarch.yml'))).toBe(true);
  });
});

describe('interrupted writes', () => {
  it('recovers on the next run after a kill mid-write', () => {
    const dir = tempDir();
    expect(runCli(ARGS, dir).status).toBe(0);
    const preload = path.join(__dirname, 'fixtures', 'preload', 'killed-mid-write.js');
    const killed = spawnSync(
      process.execPath,
      ['--require', preload, BIN, ...ARGS, '--branch', 'release'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(killed.signal).toBe('SIGKILL');
    const rerun = runCli([...ARGS, '--branch', 'release'], dir);
    expect(rerun.status, rerun.stderr).toBe(0);
    for (const name of ['.travis.yml', 'Dockerfile.arm64', 'Dockerfile.s390x']) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      expect(bodyHashStatus(text), name).toBe('intact');
      expect(text.split('\n')[0]).toContain('--branch release');
    }
  });
});
