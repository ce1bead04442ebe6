import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runValidate, type ValidateArgs } from '../src/commands/validate';
import type { Logger } from '../src/log';
import { loadActionlint } from '../src/validate/actionlint';
import { BIN, tempDir } from './helpers/cli';
import { runGenCi } from './helpers/validate-cli';

beforeAll(() => {
  if (!fs.existsSync(path.join(path.dirname(BIN), '..', 'dist', 'cli.js'))) {
    throw new Error('dist/ is missing: run npm run build (npm test does)');
  }
});

/** Creates a folder with the given files, for the command to run in. */
function repo(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CLEAN_TRAVIS =
  'language: shell\nos: linux\ndist: jammy\nscript:\n  - docker build .\n';
const WORKFLOW = [
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-24.04',
  '    steps:',
  '      - run: docker build .',
  '',
].join('\n');

describe('gen-ci validate', () => {
  it('exits 0 and prints only the summary for a clean file', () => {
    const cwd = repo({ '.travis.yml': CLEAN_TRAVIS });
    const result = runGenCi(['validate', '.travis.yml'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      '1 file checked: 0 errors, 0 warnings (schemas: no public schema for travis: run gen-ci schemas update or pass --schema-dir)\n',
    );
  });

  it('prints sorted findings and exits 1 on errors', () => {
    const cwd = repo({
      '.travis.yml': 'language: shell\narch: aarch64\ndist: jamy\n',
    });
    const result = runGenCi(['validate'], { cwd });
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\.travis\.yml:2:7: error: unknown Travis CI arch "aarch64" .*\[travis-arch-unknown\]$/,
    );
    expect(lines[1]).toMatch(
      /^\.travis\.yml:3:7: error: .*\[travis-dist-unknown\]$/,
    );
    expect(result.stderr).toMatch(/^1 file checked: 2 errors, 0 warnings/);
  });

  it('exits 0 on warnings, and 1 with --strict', () => {
    const text = `${CLEAN_TRAVIS}  - docker run --rm --privileged tonistiigi/binfmt --install arm64\n`;
    const cwd = repo({ '.travis.yml': text });
    const plain = runGenCi(['validate'], { cwd });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain(': warning: ');
    const strict = runGenCi(['validate', '--strict'], { cwd });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain(': error: ');
    expect(strict.stdout).not.toContain(': warning: ');
  });

  it('prints one JSON document with --format json', () => {
    const cwd = repo({ '.travis.yml': 'language: shell\nvirt: lxc\n' });
    const result = runGenCi(['validate', '--format', 'json'], { cwd });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.files).toEqual([
      { file: '.travis.yml', ci: 'travis', schemas: [] },
    ]);
    expect(report.summary).toEqual({ files: 1, errors: 1, warnings: 0 });
    expect(report.findings[0]).toMatchObject({
      file: '.travis.yml',
      line: 2,
      column: 7,
      severity: 'error',
      rule: 'travis-virt-unknown',
    });
  });

  it('finds the CI files of the current folder', () => {
    const cwd = repo({
      '.travis.yml': CLEAN_TRAVIS,
      'build.gitlab-ci.yml': 'build:\n  script: [echo]\n',
      '.github/workflows/ci.yaml': WORKFLOW,
      '.github/workflows/notes.txt': 'not a workflow',
      'other.yml': 'a: 1\n',
    });
    const result = runGenCi(['validate', '--format', 'json'], { cwd });
    expect(result.status).toBe(0);
    const files = JSON.parse(result.stdout).files.map(
      (file: { file: string; ci: string }) => [file.file, file.ci],
    );
    expect(files).toEqual([
      ['.travis.yml', 'travis'],
      ['build.gitlab-ci.yml', 'gitlab'],
      [path.join('.github', 'workflows', 'ci.yaml'), 'github'],
    ]);
  });

  it('takes the CI from --ci for unusual paths', () => {
    const cwd = repo({
      'ci/build.yml': 'build:\n  script: [docker login -p secret]\n',
    });
    const undetected = runGenCi(['validate', 'ci/build.yml'], { cwd });
    expect(undetected.status).toBe(2);
    expect(undetected.stderr).toContain('--ci');
    const forced = runGenCi(['validate', '--ci', 'gitlab', 'ci/build.yml'], {
      cwd,
    });
    expect(forced.status).toBe(1);
    expect(forced.stdout).toContain('[docker-login-password-arg]');
  });

  it('takes --schema-dir more than once', () => {
    const cwd = repo({ '.travis.yml': CLEAN_TRAVIS, 'a/x': '', 'b/x': '' });
    const result = runGenCi(
      ['validate', '--schema-dir', 'a', '--schema-dir', 'b', '.travis.yml'],
      { cwd },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^1 file checked: 0 errors/);
  });

  it('checks files given after --', () => {
    const cwd = repo({
      'ci/build.yml': 'build:\n  script: [docker login -p secret]\n',
      '-odd.yml': 'build:\n  script: [docker login -p secret]\n',
    });
    const result = runGenCi(
      ['validate', '--ci', 'gitlab', '--', 'ci/build.yml', '-odd.yml'],
      { cwd },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('ci/build.yml:2:');
    expect(result.stdout).toContain('-odd.yml:2:');
    expect(result.stderr).toMatch(/^2 files checked: 2 errors/);
  });

  it.each([
    ['.travis.yml', 'hello\n'],
    ['.gitlab-ci.yml', 'hello\n'],
    ['.github/workflows/ci.yml', 'hello\n'],
    ['.gitlab-ci.yml', '- build\n- test\n'],
    ['.gitlab-ci.yml', '# only a comment\n'],
    ['.github/workflows/ci.yml', '\x01\x7f\u00e9\n'],
  ])('rejects a top level that is not a mapping: %s %j', (file, text) => {
    const cwd = repo({ [file]: text });
    const result = runGenCi(['validate', '--format', 'json', file], { cwd });
    expect(result.status).toBe(1);
    const rules = JSON.parse(result.stdout).findings.map(
      (finding: { rule: string }) => finding.rule,
    );
    expect(rules).toContain('yaml-not-mapping');
  });

  it('exits 2 for bad input', () => {
    const empty = repo({});
    expect(runGenCi(['validate'], { cwd: empty }).status).toBe(2);
    expect(runGenCi(['validate', '.travis.yml'], { cwd: empty }).status).toBe(
      2,
    );
    const cwd = repo({ '.travis.yml': CLEAN_TRAVIS });
    const result = runGenCi(['validate', '--schema-dir', 'missing'], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--schema-dir missing');
  });

  it('reports YAML syntax errors and exits 1', () => {
    const cwd = repo({ '.travis.yml': 'script: [a, b\n' });
    const result = runGenCi(['validate'], { cwd });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^\.travis\.yml:\d+:\d+: error: .*\[yaml-syntax\]$/m,
    );
  });

  it('names the public schema it used', () => {
    const schemas = repo({
      'travis.json': '{"type": "object", "required": ["language"]}',
    });
    const cwd = repo({ '.travis.yml': 'os: linux\n' });
    const result = runGenCi(['validate', '--schema-dir', schemas], { cwd });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "/ must have required property 'language' [upstream-travis]",
    );
    expect(result.stderr).toContain(
      `(schemas: upstream travis from ${path.join(schemas, 'travis.json')})`,
    );
  });

  it('checks files that gen-ci wrote against its own schema', () => {
    const cwd = repo({});
    expect(
      runGenCi(['--arch', 'arm64', '--ci', 'travis,github'], { cwd }).status,
    ).toBe(0);
    const result = runGenCi(['validate'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('built-in travis');
    expect(result.stderr).toContain('built-in github');
  });

  it('skips the lint rules with --no-lint', () => {
    const cwd = repo({ '.travis.yml': 'language: shell\narch: aarch64\n' });
    expect(runGenCi(['validate', '--no-lint'], { cwd }).status).toBe(0);
  });

  it('shows examples in --help', () => {
    const result = runGenCi(['validate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('--schema-dir');
  });
});

describe('gen-ci validate --actionlint without the package', () => {
  const MISSING = 'gen-ci-test-missing-package';

  function capture() {
    const lines: string[] = [];
    const log: Logger = {
      debug: () => undefined,
      info: (message) => lines.push(`info: ${message}`),
      warn: (message) => lines.push(`warn: ${message}`),
      error: (message) => lines.push(`error: ${message}`),
      data: () => undefined,
    };
    return { lines, log };
  }

  function args(strict: boolean): ValidateArgs {
    const cwd = repo({ '.github/workflows/ci.yml': WORKFLOW });
    return {
      files: [path.join(cwd, '.github/workflows/ci.yml')],
      format: 'text',
      strict,
      'cache-dir': tempDir('gen-ci-cache-'),
      lint: true,
      actionlint: true,
    };
  }

  it('loads nothing for a missing package', async () => {
    expect(await loadActionlint(MISSING)).toBeUndefined();
  });

  it('warns and exits 0 without --strict', async () => {
    const { lines, log } = capture();
    const dependencies = { actionlintPackage: MISSING };
    expect(await runValidate(args(false), log, dependencies)).toBe(0);
    expect(lines.filter((line) => line.startsWith('warn: '))).toHaveLength(1);
    expect(lines.join('\n')).toContain(MISSING);
  });

  it('exits 1 with --strict', async () => {
    const { lines, log } = capture();
    const dependencies = { actionlintPackage: MISSING };
    expect(await runValidate(args(true), log, dependencies)).toBe(1);
    expect(lines.filter((line) => line.startsWith('error: '))).toHaveLength(1);
  });
});

describe('gen-ci validate --actionlint', () => {
  it('merges actionlint findings without its known false positives', async () => {
    if (!(await loadActionlint())) {
      console.log('skipped: the actionlint package is not installed');
      return;
    }
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04-arm',
      '    steps:',
      '      - run: echo "::set-output name=tag::${{ vars.TAG }}"',
      '',
    ].join('\n');
    const cwd = repo({ '.github/workflows/ci.yml': workflow });
    const plain = runGenCi(['validate'], { cwd });
    expect(plain.status).toBe(0);
    const result = runGenCi(['validate', '--actionlint'], { cwd });
    expect(result.status).toBe(1);
    const rules = [...result.stdout.matchAll(/\[([\w.-]+)\]$/gm)].map(
      (match) => match[1],
    );
    expect(rules).toEqual(['actionlint-deprecated-commands']);
  });
});
