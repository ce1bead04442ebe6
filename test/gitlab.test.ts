import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GenerateOptions } from '../src/config';
import { UsageError } from '../src/errors';
import { generate, generateFromConfig } from '../src/generate';
import { resolveConfig } from '../src/config';
import { sharedAvailable } from './helpers/shared';
import { tempDir } from './helpers/cli';
import { compileUpstream } from './helpers/upstream-schemas';
import { checkGeneratedFile } from '../src/validate/generated';

interface BuildJob {
  extends: string;
  tags?: string[];
  parallel: { matrix: Record<string, string>[] };
  before_script?: string[];
}

interface GitlabFile {
  stages: string[];
  default: { image: string; services: string[] };
  variables: Record<string, unknown>;
  '.build': { stage: string; script: string[] };
  manifest: {
    stage: string;
    needs: string[];
    tags?: string[];
    rules: { if: string }[];
    script: string[];
  };
  [job: string]: unknown;
}

function gitlab(options: Partial<GenerateOptions>) {
  const files = generate({
    arch: ['ppc64le,s390x'],
    ci: ['gitlab'],
    ...options,
  });
  const file = files.find((entry) => entry.path === '.gitlab-ci.yml');
  if (!file) {
    throw new Error('no .gitlab-ci.yml generated');
  }
  const v11 = parse(file.content, { version: '1.1' }) as GitlabFile;
  const v12 = parse(file.content, { version: '1.2' }) as GitlabFile;
  expect(v11).toEqual(v12);
  return { files, text: file.content, yaml: v12 };
}

const BUILD_JOB = /^build-/;

function buildJobs(yaml: GitlabFile): Record<string, BuildJob> {
  const entries = Object.entries(yaml).filter(([name]) =>
    BUILD_JOB.test(name),
  );
  return Object.fromEntries(entries) as Record<string, BuildJob>;
}

/** Returns the ARCH value of every matrix entry of a job. */
function matrixArches(job: BuildJob | undefined): string[] {
  return (job?.parallel.matrix ?? []).map((entry) => entry.ARCH);
}

/** Runs generated lines with a `docker` that prints its arguments. */
function runWithDocker(lines: string[], env: Record<string, string>) {
  const script = `docker() { printf '%s\\n' "$@"; }\n${lines.join('\n')}`;
  return execFileSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  })
    .split('\n')
    .slice(0, -1);
}

describe('gitlab pipeline', () => {
  it('writes .gitlab-ci.yml and one Dockerfile per architecture', () => {
    const { files } = gitlab({ image: 'example/app' });
    expect(files.map((file) => file.path)).toEqual([
      '.gitlab-ci.yml',
      'Dockerfile.ppc64le',
      'Dockerfile.s390x',
    ]);
  });

  it('passes GitLab’s public ci.json schema', () => {
    if (!sharedAvailable('upstream/gitlab/ci.json')) {
      return;
    }
    const validate = compileUpstream('gitlab');
    const cases: Partial<GenerateOptions>[] = [
      { image: 'example/app' },
      { arch: ['amd64,arm64,ppc64le'] },
      { arch: ['386,arm/v7,arm64,riscv64'], strategy: 'native' },
      { arch: ['arm64'], strategy: 'emulated', runner: ['gitlab:amd64=big'] },
    ];
    for (const options of cases) {
      const { yaml } = gitlab(options);
      expect(validate(yaml), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('runs pinned Docker-in-Docker with TLS', () => {
    const { yaml, text } = gitlab({ dockerVersion: '28.5' });
    expect(yaml.default.image).toBe('docker:28.5-cli');
    expect(yaml.default.services).toEqual(['docker:28.5-dind']);
    expect(yaml.variables.DOCKER_TLS_CERTDIR).toBe('/certs');
    expect(text).toMatch(/^# .*runners must be privileged/m);
  });

  it('pins the default Docker release', () => {
    const { yaml } = gitlab({});
    expect(yaml.default.image).toMatch(/^docker:\d+\.\d+-cli$/);
    expect(yaml.default.services[0]).toBe(
      yaml.default.image.replace(/-cli$/, '-dind'),
    );
  });

  it('rejects a Docker version that is not a release', () => {
    for (const dockerVersion of ['latest', '29.x', '']) {
      expect(() => gitlab({ dockerVersion })).toThrow(
        expect.objectContaining({ code: 'OPTION_INVALID' }),
      );
    }
  });

  it('keeps every variable a string', () => {
    const { yaml } = gitlab({ arch: ['amd64,arm64,ppc64le'] });
    for (const value of Object.values(yaml.variables)) {
      expect(typeof value).toBe('string');
    }
    for (const job of Object.values(buildJobs(yaml))) {
      for (const entry of job.parallel.matrix) {
        for (const value of Object.values(entry)) {
          expect(typeof value).toBe('string');
        }
      }
    }
  });

  it('builds in stage build, then joins in stage manifest', () => {
    const { yaml } = gitlab({ image: 'example/app' });
    expect(yaml.stages).toEqual(['build', 'manifest']);
    expect(yaml['.build'].stage).toBe('build');
    expect(yaml.manifest.stage).toBe('manifest');
    for (const job of Object.values(buildJobs(yaml))) {
      expect(job.extends).toBe('.build');
    }
  });

  it('makes the manifest job need every build job', () => {
    const { yaml } = gitlab({ arch: ['amd64,arm64,ppc64le,s390x'] });
    const jobs = Object.keys(buildJobs(yaml));
    expect(jobs).toEqual(['build-amd64', 'build-emulated', 'build-native']);
    expect(yaml.manifest.needs).toEqual(jobs);
  });

  it('lists one matrix entry per architecture', () => {
    const { yaml } = gitlab({ arch: ['amd64,arm64,ppc64le,s390x'] });
    const jobs = buildJobs(yaml);
    const arches = Object.values(jobs).flatMap(matrixArches);
    expect(arches.sort()).toEqual(['amd64', 'arm64', 'ppc64le', 's390x']);
  });

  it('runs arm64 on the hosted arm64 runner with auto', () => {
    const { yaml } = gitlab({ arch: ['amd64,arm64,ppc64le'] });
    const jobs = buildJobs(yaml);
    expect(matrixArches(jobs['build-native'])).toEqual(['arm64']);
    expect(jobs['build-native'].tags).toEqual(['$RUNNER_TAG']);
    expect(jobs['build-native'].parallel.matrix[0].RUNNER_TAG).toBe(
      'saas-linux-small-arm64',
    );
    expect(matrixArches(jobs['build-amd64'])).toEqual(['amd64']);
    expect(jobs['build-amd64'].tags).toBeUndefined();
  });

  it('registers QEMU only in the emulated job', () => {
    const { yaml, text } = gitlab({ arch: ['amd64,arm64,ppc64le'] });
    const jobs = buildJobs(yaml);
    expect(matrixArches(jobs['build-emulated'])).toEqual(['ppc64le']);
    const [register, verify] = jobs['build-emulated'].before_script ?? [];
    expect(register).toBe(
      'docker run --rm --privileged tonistiigi/binfmt:qemu-v8.1.5 --install ppc64le',
    );
    expect(verify).toContain('--platform linux/ppc64le');
    for (const name of ['build-native', 'build-amd64']) {
      const lines = jobs[name].before_script ?? [];
      expect(lines.join('\n'), name).not.toContain('binfmt');
    }
    expect(text).not.toMatch(/apt-get|update-binfmts|qemu-user-static/);
  });

  it('emulates every architecture with --strategy emulated', () => {
    const { yaml } = gitlab({
      arch: ['arm64,ppc64le'],
      strategy: 'emulated',
    });
    const jobs = buildJobs(yaml);
    expect(Object.keys(jobs)).toEqual(['build-emulated']);
    expect(matrixArches(jobs['build-emulated'])).toEqual(['arm64', 'ppc64le']);
    expect(jobs['build-emulated'].tags).toBeUndefined();
  });

  it('takes runner tags from --runner', () => {
    const { yaml } = gitlab({
      arch: ['amd64,arm64,arm/v7,ppc64le'],
      runner: ['gitlab:arm64=my-arm', 'gitlab:amd64=big', 'gitlab:arm/v7=pi'],
    });
    const jobs = buildJobs(yaml);
    expect(jobs['build-amd64'].tags).toEqual(['big']);
    expect(jobs['build-emulated'].tags).toEqual(['big']);
    expect(matrixArches(jobs['build-emulated'])).toEqual(['ppc64le']);
    expect(jobs['build-native'].parallel.matrix).toEqual([
      { ARCH: 'armv7', PLATFORM: 'linux/arm/v7', RUNNER_TAG: 'pi' },
      { ARCH: 'arm64', PLATFORM: 'linux/arm64', RUNNER_TAG: 'my-arm' },
    ]);
  });

  it('runs manifest on the amd64 runner tag', () => {
    const { yaml } = gitlab({
      arch: ['arm64'],
      runner: ['gitlab:arm64=my-arm', 'gitlab:amd64=big'],
    });
    expect(yaml.manifest.tags).toEqual(['big']);
  });

  it('gives manifest no tags by default', () => {
    const { yaml } = gitlab({ arch: ['amd64,arm64'] });
    expect(yaml.manifest.tags).toBeUndefined();
  });

  it('installs each binfmt emulator once', () => {
    const { yaml } = gitlab({
      arch: ['arm/v6,arm/v7,ppc64le'],
      strategy: 'emulated',
    });
    const install = buildJobs(yaml)['build-emulated'].before_script?.find(
      (line) => line.includes('--install'),
    );
    expect(install).toMatch(/--install arm,ppc64le$/);
  });

  it('rejects invalid --runner values', () => {
    const cases: [string, string][] = [
      ['travis:arm64=x', 'OPTION_INVALID'],
      ['gitlab:386=x', 'OPTION_INVALID'],
      ['gitlab:arm64=has space', 'OPTION_INVALID'],
      ['gitlab-arm64', 'OPTION_INVALID'],
      ['gitlab:sparc=x', 'ARCH_UNKNOWN'],
    ];
    for (const [runner, code] of cases) {
      expect(() => gitlab({ runner: [runner] }), runner).toThrow(
        expect.objectContaining({ code }),
      );
    }
    expect(() =>
      gitlab({ runner: ['gitlab:arm64=a', 'gitlab:aarch64=b'] }),
    ).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
  });

  it('rejects the legacy strategy', () => {
    const error = (() => {
      try {
        gitlab({ strategy: 'legacy' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('OPTION_INVALID');
  });

  it('names files and tags after the matrix slug', () => {
    const arches = ['amd64', 'arm/v7', 'arm64', 'ppc64le'];
    const { yaml } = gitlab({ arch: arches, image: 'example/app' });
    const config = resolveConfig({ arch: arches, ci: ['gitlab'] });
    const plan = generateFromConfig(config).plan.cis[0];
    const build = yaml['.build'].script[2];
    for (const job of plan.jobs) {
      const entry = Object.values(buildJobs(yaml))
        .flatMap((group) => group.parallel.matrix)
        .find((candidate) => candidate.ARCH === job.arch.slug);
      expect(entry?.PLATFORM).toBe(`linux/${job.arch.name}`);
      const args = runWithDocker([build], {
        IMAGE: 'example/app',
        TAG: 'v1',
        ARCH: entry?.ARCH ?? '',
        PLATFORM: entry?.PLATFORM ?? '',
      });
      expect(args).toContain(job.dockerfile);
      expect(args).toContain(`example/app:v1-${job.arch.slug}`);
      expect(args).toContain(`linux/${job.arch.name}`);
    }
  });

  it('passes build args verbatim to docker', () => {
    const values = ["URL=https://m.example/p?k=v&x='y'", 'ENABLE=on', 'Q="x"'];
    const { yaml } = gitlab({ image: 'example/app', buildArgs: values });
    const args = runWithDocker([yaml['.build'].script[2]], {
      ARCH: 'ppc64le',
      PLATFORM: 'linux/ppc64le',
    });
    for (const value of values) {
      expect(args).toContain(value);
    }
  });

  it('publishes only from tags and the branch', () => {
    const { yaml } = gitlab({ image: 'example/app', branch: 'release' });
    const [tagLine, condition] = yaml['.build'].script;
    const publish = (env: Record<string, string>) =>
      execFileSync('sh', ['-c', `${tagLine}; ${condition}; echo "$PUBLISH $TAG"`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...env },
      }).trim();
    const protectedRef = { CI_COMMIT_REF_PROTECTED: 'true' };
    expect(publish({ ...protectedRef, CI_COMMIT_BRANCH: 'release' })).toBe('true latest');
    expect(publish({ ...protectedRef, CI_COMMIT_TAG: 'v1.2' })).toBe('true v1.2');
    expect(publish({ ...protectedRef, CI_COMMIT_BRANCH: 'main' })).toBe('false latest');
    expect(publish({ ...protectedRef, CI_MERGE_REQUEST_IID: '7' })).toBe('false latest');
    expect(publish({ CI_COMMIT_BRANCH: 'release' })).toBe('false latest');
    expect(publish({ CI_COMMIT_TAG: 'v1.2' })).toBe('false v1.2');
    for (const line of yaml['.build'].script.slice(3)) {
      expect(line).toMatch(/^if \[ "\$PUBLISH" = true \]; then /);
    }
    expect(yaml.manifest.rules).toEqual([
      {
        if: '$CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE != "merge_request_event" && ($CI_COMMIT_TAG || $CI_COMMIT_BRANCH == "release")',
      },
    ]);
  });

  it('logs in to the project registry by default', () => {
    const { yaml } = gitlab({});
    expect(yaml.variables.IMAGE).toBe('$CI_REGISTRY_IMAGE');
    const login = yaml.manifest.script[1];
    expect(login).toBe(
      'printf \'%s\\n\' "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"',
    );
  });

  it('logs in with user variables for other registries', () => {
    const { yaml, text } = gitlab({ image: 'quay.io/org/app' });
    const login = yaml.manifest.script[1];
    expect(login).toContain('"$DOCKER_PASSWORD" | docker login');
    expect(login).toContain('--password-stdin quay.io');
    expect(text).toMatch(/^# Set DOCKER_USERNAME and DOCKER_PASSWORD/m);
    expect(text).not.toMatch(/ -p |--password /);
  });

  it('joins every per-architecture tag with imagetools', () => {
    const { yaml } = gitlab({ arch: ['arm64', 'arm/v7'], image: 'x/y' });
    expect(yaml.manifest.script.at(-1)).toBe(
      'docker buildx imagetools create --tag "$IMAGE:$TAG" "$IMAGE:$TAG-armv7" "$IMAGE:$TAG-arm64"',
    );
  });

  it('gives identical bytes on every run', () => {
    const options = { image: 'example/app', buildArgs: ['A=1'] };
    expect(gitlab(options).text).toBe(gitlab(options).text);
  });

  it('fails its own schema when a variable is not a string', () => {
    const config = resolveConfig({ arch: ['ppc64le'], ci: ['gitlab'] });
    const { text } = gitlab({ arch: ['ppc64le'] });
    const edits: [string, string][] = [
      ["DOCKER_TLS_CERTDIR: '/certs'", 'DOCKER_TLS_CERTDIR: 2376'],
      ['ARCH: ppc64le', 'ARCH: true'],
      ['    - build-emulated\n', '    - build-other\n'],
      ["- 'docker run --rm --privileged", "- 'apt-get install -y qemu-user-static; docker run --rm --privileged"],
    ];
    for (const [from, to] of edits) {
      expect(text).toContain(from);
      const content = text.replace(from, to);
      const rules = checkGeneratedFile(config, { path: '.gitlab-ci.yml', content })
        .filter((finding) => finding.severity === 'error')
        .map((finding) => finding.rule);
      expect(rules, to).toContain('schema-gitlab');
    }
  });
});

describe('gitlab-ci-local', () => {
  const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'gitlab-ci-local');

  it('lists every job of the generated file', () => {
    expect(fs.existsSync(bin), `${bin} is missing; run npm install`).toBe(true);
    const dir = tempDir('gen-ci-gitlab-');
    try {
      const { text } = gitlab({ arch: ['amd64,arm64,ppc64le'] });
      fs.writeFileSync(path.join(dir, '.gitlab-ci.yml'), text);
      // The manifest job runs only for protected refs.
      const args = ['--list', '--variable', 'CI_COMMIT_REF_PROTECTED=true'];
      const result = spawnSync(bin, args, {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.status, result.stderr).toBe(0);
      // A warning about the overridden variable may precede the table.
      const lines = result.stdout.split('\n');
      const names = lines
        .slice(lines.findIndex((line) => line.startsWith('name')) + 1)
        .map((line) => line.split(/\s{2,}/)[0])
        .filter((name) => name !== '');
      expect(names).toEqual([
        'build-amd64: [amd64,linux/amd64]',
        'build-emulated: [ppc64le,linux/ppc64le]',
        'build-native: [arm64,linux/arm64,saas-linux-small-arm64]',
        'manifest',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 130_000);
});
