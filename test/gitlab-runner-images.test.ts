/**
 * GitLab build jobs run in Docker's `docker:<version>-cli` image with a
 * `docker:<version>-dind` service, and Docker publishes those images for
 * amd64, arm64, arm/v7 and arm/v6 only. A GitLab runner for any other
 * architecture would get a job that cannot start, so gen-ci rejects it.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARCHES } from '../src/arch/table';
import { resolveConfig, type GenerateOptions } from '../src/config';
import { generate } from '../src/generate';
import { listFiles, runCli } from './helpers/cli';
import { tempTree } from './helpers/files';
import { resolveError } from './helpers/errors';

/**
 * A base image that gen-ci has no platform list for, so that it accepts
 * every architecture that the default base (alpine) lacks.
 */
const ANY_BASE = 'registry.example.com/base:1';

/**
 * Architectures without `docker:<version>-cli` and `-dind` images. A 386
 * runner is rejected by an older check, because 386 builds on the amd64
 * runner.
 */
const WITHOUT_IMAGES = [
  'ppc64le',
  's390x',
  'riscv64',
  '386',
  'arm/v5',
  'mips64le',
  'loong64',
];

/** Generates a .gitlab-ci.yml and returns its `build-native` matrix. */
function nativeMatrix(options: GenerateOptions): Record<string, string>[] {
  const files = generate(options);
  const file = files.find((entry) => entry.path === '.gitlab-ci.yml');
  if (!file) {
    throw new Error('no .gitlab-ci.yml generated');
  }
  const yaml = parse(file.content) as Record<
    string,
    { parallel?: { matrix: Record<string, string>[] } }
  >;
  return yaml['build-native']?.parallel?.matrix ?? [];
}

describe('architecture table', () => {
  it('marks the platforms of the docker images', () => {
    const marked = ARCHES.filter((arch) => arch.dockerCliDindImages);
    expect(marked.map((arch) => arch.name).sort()).toEqual([
      'amd64',
      'arm/v6',
      'arm/v7',
      'arm64',
    ]);
  });

  it('leaves every other architecture unmarked', () => {
    const unmarked = ARCHES.filter((arch) => !arch.dockerCliDindImages);
    expect(unmarked.map((arch) => arch.name).sort()).toEqual(
      [...WITHOUT_IMAGES].sort(),
    );
  });
});

describe('gitlab runner without docker images', () => {
  it.each(WITHOUT_IMAGES)('rejects a runner for %s', (arch) => {
    const runner = `gitlab:${arch}=self-managed`;
    const error = resolveError({
      arch: ['amd64', arch],
      base: ANY_BASE,
      ci: ['gitlab'],
      runner: [runner],
    });
    expect(error.code).toBe('OPTION_INVALID');
    expect(error.message).toContain(JSON.stringify(runner));
    expect(error.message).not.toMatch(/\n/);
  });

  it('rejects an alias of such an architecture', () => {
    const error = resolveError({
      arch: ['ppc64el'],
      ci: ['gitlab'],
      runner: ['gitlab:powerpc64le=power9'],
    });
    expect(error.code).toBe('OPTION_INVALID');
  });

  it('rejects with every strategy', () => {
    for (const strategy of ['auto', 'native', 'emulated']) {
      const error = resolveError({
        arch: ['s390x'],
        ci: ['gitlab'],
        strategy,
        runner: ['gitlab:s390x=z'],
      });
      expect(error.code, strategy).toBe('OPTION_INVALID');
    }
  });

  // A config file may name the runners of every CI that a project uses,
  // and this runner would break the GitLab pipeline once it is generated.
  it('rejects it without --ci gitlab', () => {
    const error = resolveError({
      arch: ['riscv64'],
      ci: ['github'],
      runner: ['gitlab:riscv64=rv'],
    });
    expect(error.code).toBe('OPTION_INVALID');
  });
});

describe('gitlab runner with docker images', () => {
  it.each(['arm64', 'arm/v7', 'arm/v6'])('accepts a runner for %s', (arch) => {
    const config = resolveConfig({
      arch: ['amd64', arch],
      ci: ['gitlab'],
      runner: [`gitlab:${arch}=self-managed`],
    });
    expect(config.runners.map((runner) => runner.arch.name)).toEqual([arch]);
  });

  it('builds arm/v7 natively on its runner', () => {
    const matrix = nativeMatrix({
      arch: ['arm64,arm/v7'],
      ci: ['gitlab'],
      strategy: 'native',
      runner: ['gitlab:arm/v7=pi'],
    });
    const armv7 = matrix.find((entry) => entry.ARCH === 'armv7');
    expect(armv7?.RUNNER_TAG).toBe('pi');
  });

  it('accepts an amd64 runner next to emulated ppc64le', () => {
    const config = resolveConfig({
      arch: ['ppc64le', 's390x'],
      ci: ['gitlab'],
      runner: ['gitlab:amd64=big'],
    });
    expect(config.runners.map((runner) => runner.label)).toEqual(['big']);
  });
});

describe('github runner', () => {
  it('stays accepted for ppc64le and s390x', () => {
    const config = resolveConfig({
      arch: ['ppc64le', 's390x'],
      ci: ['github'],
      runner: ['github:ppc64le=power9', 'github:s390x=z'],
    });
    expect(config.runners.map((runner) => runner.arch.name)).toEqual([
      'ppc64le',
      's390x',
    ]);
  });
});

describe('gen-ci with a gitlab ppc64le runner', () => {
  it('exits 2 and writes nothing', () => {
    const dir = tempTree();
    const runner = 'gitlab:ppc64le=power9';
    const args = ['--arch', 'arm64,ppc64le', '--ci', 'gitlab'];
    const result = runCli([...args, '--runner', runner], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: [^\n]+\n$/);
    expect(result.stderr).toContain(JSON.stringify(runner));
    expect(listFiles(dir)).toEqual([]);
  });

  it('points at the runner in the config file', () => {
    const dir = tempTree({
      'gen-ci.yml':
        'arch: [ppc64le]\nci: [gitlab]\ngitlab:\n  runners:\n    ppc64le: power9\n',
    });
    const result = runCli([], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^gen-ci: error: gen-ci\.yml:5:14: invalid --runner "gitlab:ppc64le=power9"/,
    );
    expect(listFiles(dir)).toEqual(['gen-ci.yml']);
  });
});
