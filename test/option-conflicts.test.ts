/**
 * Options that are valid alone but conflict with others, such as a runner
 * for an architecture or CI that is not generated, or a build argument
 * that replaces one of BuildKit's platform arguments.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { listFiles, runCli } from './helpers/cli';
import { tempTree } from './helpers/files';
import { resolveError } from './helpers/errors';

const PLATFORM_ARGS = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
];

describe('runner for an architecture not built', () => {
  it.each([
    ['github:s390x=z-runner', ['arm64']],
    ['gitlab:arm64=my-arm', ['s390x', 'ppc64le']],
    ['github:aarch64=my-arm', ['arm/v7']],
    ['gitlab:arm/v6=pi', ['arm/v7']],
  ])('rejects %s with --arch %s', (runner, arch) => {
    const error = resolveError({ arch, ci: ['gitlab', 'github'], runner: [runner] });
    expect(error.code).toBe('OPTION_INVALID');
    expect(error.message).toContain(JSON.stringify(runner));
    expect(error.message).toContain('--arch');
    expect(error.message).not.toMatch(/\n/);
  });

  it('accepts an alias of a built architecture', () => {
    const config = resolveConfig({
      arch: ['aarch64'],
      ci: ['github'],
      runner: ['github:arm64=my-arm'],
    });
    expect(config.runners.map((runner) => runner.label)).toEqual(['my-arm']);
  });

  it('accepts amd64 without amd64 in --arch', () => {
    const config = resolveConfig({
      arch: ['arm64', 's390x'],
      ci: ['gitlab'],
      strategy: 'emulated',
      runner: ['gitlab:amd64=big'],
    });
    expect(config.runners.map((runner) => runner.arch.name)).toEqual(['amd64']);
    expect(config.warnings).toEqual([]);
  });

  it('exits 2 from a flag and writes nothing', () => {
    const dir = tempTree();
    const args = ['--arch', 'arm64', '--ci', 'github', '--runner', 'github:s390x=foo'];
    const result = runCli(args, dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: [^\n]+\n$/);
    expect(result.stderr).toContain('"github:s390x=foo"');
    expect(listFiles(dir)).toEqual([]);
  });

  it('points at the runner in the config file', () => {
    const dir = tempTree({
      'gen-ci.yml': 'arch: [arm64]\nci: [github]\ngithub:\n  runners:\n    s390x: foo\n',
    });
    const result = runCli([], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: gen-ci\.yml:5:12: invalid --runner "github:s390x=foo"/);
    expect(listFiles(dir)).toEqual(['gen-ci.yml']);
  });

  it('makes init write nothing', () => {
    const dir = tempTree();
    const result = runCli(['init', '--arch', 'arm64', '--runner', 'github:s390x=foo'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"github:s390x=foo"');
    expect(listFiles(dir)).toEqual([]);
  });

  it('gives init errors no position in the unwritten file', () => {
    const dir = tempTree();
    const result = runCli(['init', '--arch', 'arm64', '--runner', 'github:s390x=foo'], dir);
    expect(result.stderr).toMatch(/^gen-ci: error: invalid --runner /);
  });
});

describe('runner for a CI not generated', () => {
  it('is kept, with a warning naming it', () => {
    const config = resolveConfig({
      arch: ['arm64'],
      ci: ['github'],
      runner: ['gitlab:arm64=my-arm', 'github:arm64=big-arm'],
    });
    expect(config.runners.map((runner) => runner.ci)).toEqual(['gitlab', 'github']);
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('"gitlab:arm64=my-arm"');
    expect(config.warnings[0]).toContain('--ci');
  });

  it('gives no warning when every runner is used', () => {
    const config = resolveConfig({
      arch: ['arm64'],
      ci: ['gitlab', 'github'],
      runner: ['gitlab:arm64=my-arm', 'github:arm64=big-arm'],
    });
    expect(config.warnings).toEqual([]);
  });

  it('warns on stderr and still writes, exit 0', () => {
    const dir = tempTree();
    const args = ['--arch', 'arm64', '--ci', 'github', '--runner', 'gitlab:arm64=my-arm'];
    const result = runCli(args, dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^gen-ci: warning: --runner "gitlab:arm64=my-arm" is not used/m);
    expect(listFiles(dir)).toContain('.github/workflows/multiarch.yml');
  });

  it('plan warns with detected CIs', () => {
    const dir = tempTree({
      'gen-ci.yml': 'arch: [arm64]\ngitlab:\n  runners:\n    arm64: my-arm\n',
    });
    const result = runCli(['plan'], dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('gen-ci: warning: --runner "gitlab:arm64=my-arm" is not used');
    expect(result.stderr).toContain('--ci travis');
  });
});

describe('build argument named like a platform argument', () => {
  it.each(PLATFORM_ARGS)('rejects %s', (key) => {
    const error = resolveError({ arch: ['arm64'], buildArgs: [`${key}=x`] });
    expect(error.code).toBe('BUILD_ARG_INVALID');
    expect(error.message).toContain(JSON.stringify(`${key}=x`));
    expect(error.message).not.toMatch(/\n/);
  });

  it('accepts other or lowercase names', () => {
    const config = resolveConfig({
      arch: ['arm64'],
      buildArgs: ['targetarch=x', 'MY_TARGETARCH=y', 'TARGETARCH_SUFFIX=z'],
    });
    expect(config.buildArgs.map((arg) => arg.key)).toEqual([
      'targetarch',
      'MY_TARGETARCH',
      'TARGETARCH_SUFFIX',
    ]);
  });

  it('exits 2 from a flag and writes nothing', () => {
    const dir = tempTree();
    const result = runCli(['--arch', 'arm64,s390x', '--build-arg', 'TARGETARCH=arm64'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: [^\n]+\n$/);
    expect(result.stderr).toContain('"TARGETARCH=arm64"');
    expect(listFiles(dir)).toEqual([]);
  });

  it('points at the argument in the config file', () => {
    const dir = tempTree({
      'gen-ci.yml': 'arch: [arm64]\nbuild-arg:\n  - VERSION=1\n  - BUILDPLATFORM=linux/amd64\n',
    });
    const result = runCli([], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: gen-ci\.yml:4:5: invalid --build-arg "BUILDPLATFORM=linux\/amd64"/);
    expect(listFiles(dir)).toEqual(['gen-ci.yml']);
  });
});
