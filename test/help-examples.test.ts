import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli';

describe('generate help examples', () => {
  it('shows a runnable --check example', () => {
    const help = runCli(['--help'], tempDir());
    const line = help.stdout
      .split('\n')
      .find((text) => /^\s*gen-ci .*--check/.test(text));
    expect(line).toBeDefined();
    expect(line).toContain('--arch');
  });
});

describe('README options table', () => {
  it('lists rejected build-arg values', () => {
    const readme = fs.readFileSync(
      path.join(__dirname, '..', 'README.md'),
      'utf8',
    );
    const row = readme
      .split('\n')
      .find((line) => line.startsWith('| `--build-arg'));
    expect(row).toBeDefined();
    for (const form of ['`$NAME`', '`${...}`', '`$(...)`', 'backticks']) {
      expect(row).toContain(form);
    }
    expect(row).toContain('control characters');
  });
});
