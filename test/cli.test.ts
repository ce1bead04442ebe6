import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, listFiles, runCli, tempDir } from './helpers/cli';

beforeAll(() => {
  if (!fs.existsSync(path.join(path.dirname(BIN), '..', 'dist', 'cli.js'))) {
    throw new Error('dist/ is missing: run npm run build (npm test does)');
  }
});

describe('gen-ci generate', () => {
  it('writes the pipeline and Dockerfiles into an empty folder', () => {
    const dir = tempDir();
    const result = runCli(['--arch', 'ppc64le,s390x', '--image', 'example/app'], dir);
    expect(result.stderr).toBe(
      'create    .travis.yml\ncreate    Dockerfile.ppc64le\ncreate    Dockerfile.s390x\n',
    );
    expect(result.status).toBe(0);
    expect(listFiles(dir)).toEqual(['.travis.yml', 'Dockerfile.ppc64le', 'Dockerfile.s390x']);
    const yaml = parse(fs.readFileSync(path.join(dir, '.travis.yml'), 'utf8'));
    expect(yaml.jobs.include).toHaveLength(3);
  });

  it('accepts repeated and comma-separated --arch', () => {
    const dir = tempDir();
    const result = runCli(['--arch', 'aarch64', '--arch', 'armv7l,ppc64el', '--dry-run'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('==> Dockerfile.arm64 <==');
    expect(result.stdout).toContain('==> Dockerfile.armv7 <==');
    expect(result.stdout).toContain('==> Dockerfile.ppc64le <==');
  });

  it('prints files and writes nothing with --dry-run', () => {
    const dir = tempDir();
    const result = runCli(['--arch', 'arm64', '--dry-run'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('==> .travis.yml <==');
    expect(listFiles(dir)).toEqual([]);
  });

  it('is idempotent and leaves unchanged files alone', () => {
    const dir = tempDir();
    runCli(['--arch', 'arm64'], dir);
    const before = fs.statSync(path.join(dir, '.travis.yml')).mtimeMs;
    const second = runCli(['--arch', 'arm64'], dir);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('unchanged .travis.yml');
    expect(fs.statSync(path.join(dir, '.travis.yml')).mtimeMs).toBe(before);
  });

  it('derives from the Dockerfile in --out', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm\nRUN true\n');
    const result = runCli(['--arch', 's390x'], dir);
    expect(result.status).toBe(0);
    const derived = fs.readFileSync(path.join(dir, 'Dockerfile.s390x'), 'utf8');
    expect(derived).toContain('FROM s390x/debian:bookworm');
  });

  it('refuses to overwrite a file gen-ci did not write', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.travis.yml'), 'language: c\n');
    const result = runCli(['--arch', 'arm64'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--force');
    expect(listFiles(dir)).toEqual(['.travis.yml']);
    expect(runCli(['--arch', 'arm64', '--force'], dir).status).toBe(0);
  });
});

const BAD_INPUT: [string, string[], RegExp][] = [
  ['unknown arch', ['--arch', 'ppc65le'], /ppc65le.*did you mean "ppc64le"/],
  ['empty arch', ['--arch', ''], /architecture/],
  ['ambiguous arch', ['--arch', 'armhf'], /armhf/],
  ['variant on s390x', ['--arch', 's390x/v2'], /s390x\/v2/],
  ['missing --arch', [], /arch/],
  ['unknown CI', ['--arch', 'arm64', '--ci', 'jenkins'], /jenkins.*travis/],
  ['invalid image', ['--arch', 'arm64', '--image', 'Example/App'], /Example\/App/],
  ['image with shell syntax', ['--arch', 'arm64', '--image', 'app;rm -rf /'], /app;rm -rf/],
  ['invalid base', ['--arch', 'arm64', '--base', 'alpine:'], /alpine:/],
  ['base lacking the arch', ['--arch', 'mips64le', '--base', 'alpine:3.22'], /alpine.*mips64le/],
  ['shell syntax in a build arg', ['--arch', 'arm64', '--build-arg', 'X=$(id)'], /\$\(id\)/],
  ['build arg without =', ['--arch', 'arm64', '--build-arg', 'X'], /KEY=VALUE/],
  ['missing --dockerfile', ['--arch', 'arm64', '--dockerfile', 'nope/Dockerfile'], /nope\/Dockerfile/],
  ['unknown strategy', ['--arch', 'arm64', '--strategy', 'fast'], /fast/],
  ['unpinned emulator', ['--arch', 'arm64', '--emulator-image', 'tonistiigi/binfmt:latest'], /pinned/],
  ['emulator on a moving tag', ['--arch', 'arm64', '--emulator-image', 'tonistiigi/binfmt:master'], /pinned/],
  ['unknown flag', ['--arch', 'arm64', '--archs', 'x'], /archs/],
];

describe('bad input', () => {
  it.each(BAD_INPUT)('%s: exit 2, one line, nothing written', (_, args, pattern) => {
    const dir = tempDir();
    const result = runCli(args, dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toMatch(/^gen-ci: error: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(listFiles(dir)).toEqual([]);
  });
});
