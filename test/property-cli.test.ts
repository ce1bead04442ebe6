/**
 * Property tests of the real command line, with fewer runs than the
 * core's because each run starts Node. Hostile flags and config files
 * either fail with exit 2, one error line and nothing written, or write
 * exactly what the core generates. The bytes written do not depend on the
 * locale, the time zone, the clock or unrelated environment variables.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenerateOptions } from '../src/config';
import { generate } from '../src/generate';
import { yamlScalar } from '../src/render/yaml-scalar';
import type { GeneratedFile } from '../src/targets/types';
import { BIN, listFiles, tempDir } from './helpers/cli';
import { generateOptions } from './helpers/hostile';

/** A lone surrogate can reach neither argv nor a file: both hold UTF-8. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** argv strings end at a NUL byte, so no command-line value holds one. */
const NUL = /\u0000/;

/** Options whose strings a command line and a file can carry unchanged. */
const cliOptions = generateOptions.filter((options) => {
  const text = Object.values(options).flat().join('');
  return !LONE_SURROGATE.test(text) && !NUL.test(text);
});

/** Writes each option as `--flag=value`, so a leading - stays in the value. */
function toFlags(options: GenerateOptions): string[] {
  const flags: string[] = [];
  const add = (flag: string, values: readonly string[] | string | undefined) => {
    for (const value of values === undefined ? [] : [values].flat()) {
      flags.push(`--${flag}=${value}`);
    }
  };
  add('arch', options.arch);
  add('ci', options.ci);
  add('image', options.image);
  add('base', options.base);
  add('build-arg', options.buildArgs);
  add('strategy', options.strategy);
  add('emulator-image', options.emulatorImage);
  add('branch', options.branch);
  add('runner', options.runner);
  add('docker-version', options.dockerVersion);
  add('workflow-name', options.workflowName);
  add('pin-actions', options.pinActions);
  return flags;
}

/** Writes the options as a gen-ci.yml, every string quoted for YAML. */
function toConfigFile(options: GenerateOptions): string {
  const lines: string[] = [];
  const add = (key: string, value: readonly string[] | string | undefined) => {
    if (value === undefined) {
      return;
    }
    if (typeof value === 'string') {
      lines.push(`${key}: ${yamlScalar(value)}`);
      return;
    }
    if (value.length === 0) {
      lines.push(`${key}: []`);
      return;
    }
    lines.push(`${key}:`, ...value.map((item) => `  - ${yamlScalar(item)}`));
  };
  add('arch', options.arch);
  add('ci', options.ci);
  add('image', options.image);
  add('base', options.base);
  add('build-arg', options.buildArgs);
  add('strategy', options.strategy);
  add('emulator-image', options.emulatorImage);
  add('branch', options.branch);
  add('runner', options.runner);
  add('docker-version', options.dockerVersion);
  add('workflow-name', options.workflowName);
  add('pin-actions', options.pinActions);
  return `${lines.join('\n')}\n`;
}

/** Returns the core's files, or undefined when it rejects the options. */
function expectedFiles(options: GenerateOptions): GeneratedFile[] | undefined {
  try {
    return generate(options);
  } catch {
    return undefined;
  }
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  nodeArgs: readonly string[] = [],
): Run {
  const result = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return result;
}

function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]),
  );
}

/** Checks a run against the core: the same files, or exit 2 and none. */
function checkRun(result: Run, dir: string, before: Record<string, string>, expected?: GeneratedFile[]) {
  if (expected === undefined) {
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^gen-ci: error: [^\n]*\n$/);
    expect(readTree(dir)).toEqual(before);
    return;
  }
  expect(result.status, result.stderr).toBe(0);
  const written = Object.fromEntries(expected.map((file) => [file.path, file.content]));
  expect(readTree(dir)).toEqual({ ...before, ...written });
}

describe('gen-ci with hostile input', () => {
  it('writes the core output from flags', () => {
    fc.assert(
      fc.property(cliOptions, (options) => {
        const dir = tempDir('gen-ci-prop-');
        fs.writeFileSync(path.join(dir, 'README'), 'keep\n');
        const before = readTree(dir);
        const result = run([...toFlags(options), '--out=.'], dir);
        checkRun(result, dir, before, expectedFiles(options));
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 12 },
    );
  }, 60_000);

  it('writes the core output from a config file', () => {
    fc.assert(
      fc.property(cliOptions, (options) => {
        const dir = tempDir('gen-ci-prop-');
        fs.writeFileSync(path.join(dir, 'gen-ci.yml'), toConfigFile(options));
        const before = readTree(dir);
        const result = run([], dir);
        checkRun(result, dir, before, expectedFiles(options));
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 12 },
    );
  }, 60_000);
});

const SHIFTED_CLOCK = path.join(__dirname, 'fixtures', 'preload', 'shifted-clock.js');

const LOCALES = ['C', 'POSIX', 'tr_TR.UTF-8', 'de_DE.UTF-8', 'ja_JP.eucJP', 'ar_SA.UTF-8'];
const ZONES = ['UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu'];

/** A process environment that gen-ci must ignore. */
const foreignEnv = fc.record({
  LANG: fc.constantFrom(...LOCALES),
  LC_ALL: fc.constantFrom(...LOCALES),
  TZ: fc.constantFrom(...ZONES),
  CI: fc.constantFrom('true', 'false', ''),
  GITHUB_ACTIONS: fc.constantFrom('true', ''),
  TRAVIS: fc.constantFrom('true', ''),
  GITLAB_CI: fc.constantFrom('true', ''),
  FORCE_COLOR: fc.constantFrom('0', '3'),
  COLUMNS: fc.constantFrom('20', '300'),
  HOME: fc.constantFrom('/nonexistent', '/root'),
  GEN_CI_TEST_CLOCK_SHIFT_MS: fc.constantFrom('0', String(-40 * 365 * 86_400_000), String(80 * 365 * 86_400_000)),
});

describe('gen-ci output', () => {
  it('ignores environment, locale and time', () => {
    const args = [
      '--arch=arm64,ppc64le,arm/v7', '--ci=travis,gitlab,github',
      '--image=quay.io/org/app', "--build-arg=URL=https://x.example/?a='1'",
      '--build-arg=ENABLE=on', '--branch=release', '--dry-run',
    ];
    const baseline = run(args, tempDir('gen-ci-env-'));
    expect(baseline.status, baseline.stderr).toBe(0);
    fc.assert(
      fc.property(foreignEnv, fc.dictionary(fc.stringMatching(/^GEN_CI_FUZZ_[A-Z]{1,8}$/), fc.string()), (env, extra) => {
        const result = run(args, tempDir('gen-ci-env-'), { ...extra, ...env }, ['--require', SHIFTED_CLOCK]);
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toBe(baseline.stdout);
      }),
      { numRuns: 6 },
    );
  }, 60_000);
});
