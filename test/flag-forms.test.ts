/**
 * Flag spellings that yargs accepts besides `--flag VALUE`. yargs reads
 * `--no-arch` as false and `--arch.x V` as an object, and it does not read
 * `--check=1` as true. gen-ci must reject such spellings as bad usage
 * (exit 2, one line, nothing written) or read them as the user meant. It
 * must never crash, and never write files when the user asked to check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, runCli, tempDir } from './helpers/cli';

/** Asserts exit 2, one line without a stack, and no file written. */
function expectUsageError(args: readonly string[]): void {
  const dir = tempDir();
  const result = runCli(args, dir);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/^gen-ci: error: /);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(listFiles(dir)).toEqual([]);
}

describe('negated value flags', () => {
  it.each([
    'arch',
    'ci',
    'image',
    'base',
    'build-arg',
    'emulator-image',
    'branch',
    'workflow-name',
    'out',
  ])('--no-%s is bad usage', (name) => {
    expectUsageError(['--arch', 'arm64', `--no-${name}`]);
  });

  it('--no-arch is bad usage in plan', () => {
    expectUsageError(['plan', '--no-arch']);
  });
});

describe('dotted flag names', () => {
  it.each([
    [['--arch.x', 'arm64']],
    [['--arch', 'arm64', '--build-arg.x', 'K=V']],
    [['--arch', 'arm64', '--runner.x', 'github:arm64=a']],
    [['--arch', 'arm64', '--out.x', 'dir']],
  ])('%j is bad usage', (args) => {
    expectUsageError(args);
  });
});

describe('boolean flags given a value', () => {
  it.each(['--check=1', '--check=yes', '--dry-run=1', '--dry-run=yes'])(
    '%s writes nothing',
    (flag) => {
      const dir = tempDir();
      const result = runCli(['--arch', 'arm64', flag], dir);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(listFiles(dir)).toEqual([]);
    },
  );

  it('--check=1 fails on missing files', () => {
    const dir = tempDir();
    const result = runCli(['--arch', 'arm64', '--check=1'], dir);
    expect(result.status).not.toBe(0);
  });

  it('validate --strict=yes fails on a warning', () => {
    const dir = tempDir();
    // An unpinned emulator image is a warning, so only --strict fails it.
    const travis = [
      'language: shell',
      'script:',
      '  - docker run --privileged tonistiigi/binfmt:latest --install all',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, '.travis.yml'), travis);
    const plain = runCli(['validate'], dir);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/warning: .*\[qemu-image-unpinned\]/);
    expect(runCli(['validate', '--strict'], dir).status).toBe(1);
    const strict = runCli(['validate', '--strict=yes'], dir);
    expect(strict.status).not.toBe(0);
  });
});

describe('camel-case flag names', () => {
  it.each([
    [['--arch', 'arm64', '--dryRun=yes']],
    [['--arch', 'arm64', '--no-emulatorImage']],
    [['doctor', '--no-binfmtDir']],
  ])('%j is bad usage', (args) => {
    expectUsageError(args);
  });
});
