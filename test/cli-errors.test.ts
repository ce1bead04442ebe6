/**
 * Mistakes on the command line, in the config file and in custom templates
 * exit 2 with one `gen-ci: error:` line, never with an internal error.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { tempTree } from './helpers/files';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly files?: Record<string, string>;
  /** A word the message must contain, such as the option's name. */
  readonly names: string;
}

const CASES: readonly Case[] = [
  { name: 'value missing at the end', args: ['--arch', 'arm64', '--image'], names: '--image' },
  { name: 'value starting with a dash', args: ['--arch', '-arm64'], names: '--arch' },
  { name: 'list value starting with a dash', args: ['--arch', 'arm64', '--build-arg', '-x'], names: '--build-arg' },
  { name: '--image twice', args: ['--arch', 'arm64', '--image', 'a/b', '--image', 'c/d'], names: '--image is given twice' },
  { name: '--base twice', args: ['--arch', 'arm64', '--base', 'alpine:3.22', '--base', 'alpine:3.21'], names: '--base is given twice' },
  { name: '--emulator-image twice', args: ['--arch', 'arm64', '--emulator-image', 'a/b:1', '--emulator-image', 'c/d:1'], names: '--emulator-image is given twice' },
  { name: '--out twice', args: ['--arch', 'arm64', '--out', 'a', '--out', 'b'], names: '--out is given twice' },
  { name: '--config twice', args: ['--arch', 'arm64', '--config', 'a', '--config', 'b'], names: '--config is given twice' },
  { name: 'plan with --image twice', args: ['plan', '--arch', 'arm64', '--image', 'a/b', '--image', 'c/d'], names: '--image is given twice' },
  {
    name: 'template with a syntax error',
    args: ['--arch', 'arm64', '--templates', 't'],
    files: { 't/travis.yml.hbs': '{{#each header}}\n' },
    names: 'travis.yml.hbs',
  },
  {
    name: 'partial that includes itself',
    args: ['--arch', 'arm64', '--templates', 't'],
    files: { 't/partials/travis-job-header.hbs': '{{> travis-job-header}}\n' },
    names: 'travis-job-header.hbs',
  },
  {
    name: 'helper given an undefined value',
    args: ['--arch', 'arm64', '--templates', 't'],
    files: { 't/travis.yml.hbs': '{{comment (lookup . "nope")}}\n' },
    names: 'travis.yml.hbs',
  },
  {
    name: '__proto__ in a CI section',
    args: [],
    files: { 'gen-ci.yml': 'arch: arm64\ngithub: {__proto__: {}}\n' },
    names: '__proto__',
  },
  ...['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((key) => ({
    name: `inherited key ${key}`,
    args: [],
    files: { 'gen-ci.yml': `arch: arm64\n${key}: {image: a/b}\n` },
    names: `unknown key "${key}"`,
  })),
  {
    name: 'a key given twice',
    args: [],
    files: { 'gen-ci.yml': 'arch: arm64\narch: s390x\n' },
    names: '"arch" is given twice',
  },
];

describe('usage errors exit 2 with one line', () => {
  it.each(CASES)('$name', ({ args, files, names }) => {
    const dir = tempTree(files ?? {});
    const result = runCli(args, dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: [^\n]+\n$/);
    expect(result.stderr).toContain(names);
  });
});

// Reading stays linear: the quadratic key check took minutes for this file,
// so the generous time limit bounds only a loaded machine's parse time.
const MANY_KEYS_LIMIT_MS = 30_000;

describe('a config file with many keys', () => {
  it('stops at the first unknown key of 100k', { timeout: MANY_KEYS_LIMIT_MS }, () => {
    const lines = Array.from({ length: 100_000 }, (_, index) => `k${index}: 1`);
    const dir = tempTree({ 'gen-ci.yml': `${lines.join('\n')}\n` });
    const result = runCli(['--dry-run'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown key "k0"');
  });
});

describe('values that make the output fail its checks', () => {
  it('names the value as the likely cause, not a bug in gen-ci', () => {
    const args = ['--arch', 'arm64', '--ci', 'github', '--runner', 'github:arm64=ubuntu-24.04-arm64'];
    const result = runCli(args, tempTree());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--runner');
    expect(result.stderr).toContain('[github-runner-label]');
    expect(result.stderr).not.toContain('which is a bug in gen-ci');
  });
});
