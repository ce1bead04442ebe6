/**
 * The public schemas' own test suites, run through `gen-ci validate`: every
 * positive test must pass and every negative one must exit 1. The suites
 * are third-party data in the shared folder; without it, the tests skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedAvailable, sharedPath } from './helpers/shared';
import { runGenCi, sharedSchemaFlags } from './helpers/validate-cli';

const SCHEMASTORE = 'upstream/schemastore';
const GITLAB_TESTS = `${SCHEMASTORE}/historical-gitlab-ci`;

function listDir(relative: string): string[] {
  const dir = sharedPath(relative);
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => path.join(dir, name));
}

interface JsonReport {
  files: { file: string }[];
  findings: { file: string; severity: string; rule: string; message: string }[];
}

function validateJson(ci: string, files: string[], extra: string[] = []) {
  const result = runGenCi([
    'validate',
    '--ci',
    ci,
    '--format',
    'json',
    ...sharedSchemaFlags(),
    ...extra,
    ...files,
  ]);
  return {
    status: result.status,
    stderr: result.stderr,
    report: JSON.parse(result.stdout) as JsonReport,
  };
}

function errorsByFile(report: JsonReport): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const finding of report.findings) {
    if (finding.severity === 'error') {
      byFile.set(finding.file, [
        ...(byFile.get(finding.file) ?? []),
        `${finding.rule}: ${finding.message}`,
      ]);
    }
  }
  return byFile;
}

const available =
  sharedAvailable(SCHEMASTORE) && sharedAvailable('upstream/gitlab/ci.json');

describe.runIf(available)('SchemaStore GitHub workflow tests', () => {
  it('accepts every positive test', () => {
    const files = listDir(`${SCHEMASTORE}/test/github-workflow`);
    const { status, report } = validateJson('github', files, ['--no-lint']);
    expect([...errorsByFile(report)]).toEqual([]);
    expect(status).toBe(0);
    expect(report.files).toHaveLength(37);
  });

  it('rejects every negative test, each with exit code 1', () => {
    const files = listDir(`${SCHEMASTORE}/negative_test/github-workflow`);
    const { status, report } = validateJson('github', files, ['--no-lint']);
    expect(status).toBe(1);
    const failing = errorsByFile(report);
    for (const file of files) {
      expect(failing.get(file)?.length ?? 0, file).toBeGreaterThan(0);
    }
  });

  it('runs single negative tests with exit code 1', () => {
    for (const file of listDir(
      `${SCHEMASTORE}/negative_test/github-workflow`,
    ).slice(0, 3)) {
      const result = runGenCi([
        'validate',
        '--ci',
        'github',
        ...sharedSchemaFlags(),
        file,
      ]);
      expect(result.status, file).toBe(1);
    }
  });

  /**
   * The lint layer finds real problems in two positive tests: runner
   * labels that GitHub has retired since the tests were written.
   */
  it('lints the positive tests with only retired runner labels found', () => {
    const files = listDir(`${SCHEMASTORE}/test/github-workflow`);
    const { report } = validateJson('github', files);
    const errors = report.findings.filter(
      (finding) => finding.severity === 'error',
    );
    const labels = errors.map(
      (finding) =>
        `${path.basename(finding.file)} ${/label (\S+);/.exec(finding.message)?.[1]}`,
    );
    expect(
      errors.every((finding) => finding.rule === 'github-runner-label'),
    ).toBe(true);
    expect(labels).toEqual([
      'issue_2463_file_2.yaml ubuntu-20.04',
      'issue_2463_file_2.yaml macos-12',
      'issue_2463_file_2.yaml macos-11',
      'runs-on.yaml ubuntu-20.04',
      'runs-on.yaml ubuntu-18.04',
      'runs-on.yaml macos-10.15',
      'runs-on.yaml macos-11',
      'runs-on.yaml windows-2019',
      'runs-on.yaml ubuntu-20.04',
      'runs-on.yaml ubuntu-18.04',
    ]);
  });
});

describe.runIf(available)('SchemaStore Travis tests', () => {
  it('accepts every positive test, lint included', () => {
    const files = listDir(`${SCHEMASTORE}/test/travis`);
    const { status, report } = validateJson('travis', files);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
    expect(report.files).toHaveLength(25);
  });

  it('has no negative tests upstream', () => {
    expect(
      fs.existsSync(sharedPath(`${SCHEMASTORE}/negative_test/travis`)),
    ).toBe(false);
  });
});

/**
 * GitLab's current ci.json against SchemaStore's last gitlab-ci tests
 * (2021). Two positive tests use keys that GitLab has removed since:
 * `artifacts:reports:cobertura` and `performance` (ci.json now has
 * `coverage_report` and `browser_performance`), and the `retry:when` value
 * `missing_dependency_failure`. They fail on exactly those keys.
 */
const REMOVED_KEYS: Record<string, RegExp[]> = {
  'gitlab-ci.json': [
    /\/build\/artifacts\/reports must NOT have additional properties \(cobertura\)/,
    /\/build\/artifacts\/reports must NOT have additional properties \(performance\)/,
    /\/test\/artifacts\/reports must NOT have additional properties \(cobertura\)/,
    /\/test\/artifacts\/reports must NOT have additional properties \(performance\)/,
    /\/test\/retry\/when\/1 must be equal to one of the allowed values/,
  ],
  'retry.json': [/\/retry\/when\/6 must be equal to one of the allowed values/],
};

describe.runIf(available)('historical GitLab tests against ci.json', () => {
  it('accepts the positive tests except removed keys', () => {
    const files = listDir(`${GITLAB_TESTS}/test/gitlab-ci`);
    const { status, report } = validateJson('gitlab', files);
    expect(status).toBe(1);
    const failing = errorsByFile(report);
    expect(
      [...failing.keys()].map((file) => path.basename(file)).sort(),
    ).toEqual(Object.keys(REMOVED_KEYS).sort());
    for (const [file, messages] of failing) {
      const expected = REMOVED_KEYS[path.basename(file)];
      expect(messages).toHaveLength(expected.length);
      for (const pattern of expected) {
        expect(
          messages.some((message) => pattern.test(message)),
          `${file}: ${pattern}`,
        ).toBe(true);
      }
    }
    expect(report.files).toHaveLength(10);
  });

  it('rejects every negative test', () => {
    const files = listDir(`${GITLAB_TESTS}/negative_test/gitlab-ci`);
    const { status, report } = validateJson('gitlab', files);
    expect(status).toBe(1);
    const failing = errorsByFile(report);
    for (const file of files) {
      expect(failing.get(file)?.length ?? 0, file).toBeGreaterThan(0);
    }
  });
});
