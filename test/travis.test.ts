import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARCHES } from '../src/arch/table';
import { generate } from '../src/generate';
import type { GenerateOptions } from '../src/config';
import { sharedAvailable } from './helpers/shared';
import { compileUpstream } from './helpers/upstream-schemas';

interface TravisJob {
  stage: string;
  name: string;
  os: string;
  dist: string;
  arch: string;
  services: string[];
  before_install?: string[];
  before_script?: string[];
  script: string[];
}

interface TravisFile {
  env: { global: string[] };
  stages: { name: string; if?: string }[];
  jobs: { include: TravisJob[] };
}

function travis(options: Partial<GenerateOptions>) {
  const files = generate({ arch: ['ppc64le,s390x'], ci: ['travis'], ...options });
  const file = files.find((entry) => entry.path === '.travis.yml');
  if (!file) {
    throw new Error('no .travis.yml generated');
  }
  const v11 = parse(file.content, { version: '1.1' }) as TravisFile;
  const v12 = parse(file.content, { version: '1.2' }) as TravisFile;
  expect(v11).toEqual(v12);
  return { files, text: file.content, yaml: v12 };
}

function buildJobs(yaml: TravisFile) {
  return yaml.jobs.include.filter((job) => job.stage === 'build');
}

function allCommands(yaml: TravisFile): string[] {
  return yaml.jobs.include.flatMap((job) => [
    ...(job.before_install ?? []),
    ...(job.before_script ?? []),
    ...job.script,
  ]);
}

/** Runs a generated command with a `docker` that prints its arguments. */
function dockerArgs(command: string, env: Record<string, string> = {}): string[] {
  const script = `docker() { printf '%s\\n' "$@"; }\n${command}`;
  const output = execFileSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', IMAGE: 'example/app', TAG: 'latest', ...env },
  });
  return output.split('\n').slice(0, -1);
}

describe('travis pipeline', () => {
  it('writes the pipeline and one Dockerfile per architecture', () => {
    const { files } = travis({ image: 'example/app' });
    expect(files.map((file) => file.path)).toEqual([
      '.travis.yml',
      'Dockerfile.ppc64le',
      'Dockerfile.s390x',
    ]);
  });

  it('passes the public SchemaStore Travis schema', () => {
    if (!sharedAvailable('upstream/schemastore/schemas/json/travis.json')) {
      return;
    }
    const validate = compileUpstream('travis');
    for (const strategy of ['auto', 'emulated', 'native', 'legacy']) {
      const { yaml } = travis({ image: 'example/app', strategy });
      expect(validate(yaml), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('sets os, dist, arch and docker on every job', () => {
    const { yaml } = travis({ image: 'example/app' });
    for (const job of yaml.jobs.include) {
      expect(job.os).toBe('linux');
      expect(job.dist).toBe('jammy');
      expect(job.arch).toBe('amd64');
      expect(job.services).toEqual(['docker']);
    }
  });

  it('registers pinned QEMU then verifies it before building', () => {
    const { yaml } = travis({ image: 'example/app' });
    for (const job of buildJobs(yaml)) {
      const [register, verify] = job.before_install ?? [];
      expect(register).toMatch(/^docker run --rm --privileged tonistiigi\/binfmt:qemu-v[\d.]+ --install /);
      expect(register).not.toContain(':latest');
      expect(verify).toContain('uname -m');
      expect(verify).toMatch(/--platform linux\/(ppc64le|s390x)/);
    }
  });

  it('builds with --platform and the matching Dockerfile', () => {
    const { yaml } = travis({ image: 'example/app' });
    const [ppc, s390x] = buildJobs(yaml);
    expect(ppc.script[0]).toContain('--platform linux/ppc64le --file Dockerfile.ppc64le');
    expect(s390x.script[0]).toContain('--platform linux/s390x --file Dockerfile.s390x');
    expect(ppc.script[0]).toContain('--tag "$IMAGE:$TAG-ppc64le"');
  });

  it('pushes only outside pull requests, on the branch or a tag', () => {
    const { yaml } = travis({ image: 'example/app', branch: 'release' });
    const [job] = buildJobs(yaml);
    expect(job.before_script?.[0]).toContain('"$TRAVIS_PULL_REQUEST" = false');
    expect(job.before_script?.[0]).toContain('"$TRAVIS_BRANCH" = release');
    for (const line of job.script.slice(1)) {
      expect(line).toMatch(/^if \[ "\$PUBLISH" = true \]; then /);
    }
    const manifest = yaml.stages.find((stage) => stage.name === 'manifest');
    expect(manifest?.if).toBe('type = push AND (branch = "release" OR tag IS present)');
  });

  it('logs in through stdin and never traces', () => {
    const { yaml, text } = travis({ image: 'ghcr.io/org/app' });
    const logins = allCommands(yaml).filter((line) => line.includes('docker login'));
    expect(logins.length).toBeGreaterThan(0);
    for (const line of logins) {
      expect(line).toContain('--password-stdin ghcr.io');
      expect(line).not.toMatch(/ -p /);
    }
    expect(text).not.toMatch(/set -[a-z]*x/);
  });

  it('joins the per-architecture tags into a rerunnable manifest list', () => {
    const { yaml } = travis({ arch: ['arm64', 'arm/v7'], image: 'example/app' });
    const manifest = yaml.jobs.include.find((job) => job.stage === 'manifest');
    expect(manifest?.script).toEqual([
      expect.stringContaining('docker login'),
      'docker manifest create --amend "$IMAGE:$TAG" "$IMAGE:$TAG-armv7" "$IMAGE:$TAG-arm64"',
      'docker manifest annotate "$IMAGE:$TAG" "$IMAGE:$TAG-armv7" --os linux --arch arm --variant v7',
      'docker manifest annotate "$IMAGE:$TAG" "$IMAGE:$TAG-arm64" --os linux --arch arm64 --variant v8',
      'docker manifest push --purge "$IMAGE:$TAG"',
    ]);
  });

  it('annotates no loong64 entry of the manifest list', () => {
    const { yaml } = travis({ arch: ['arm64', 'loong64'], image: 'example/app', base: 'example/base:1' });
    const manifest = yaml.jobs.include.find((job) => job.stage === 'manifest');
    expect(manifest?.script).toEqual([
      expect.stringContaining('docker login'),
      'docker manifest create --amend "$IMAGE:$TAG" "$IMAGE:$TAG-arm64" "$IMAGE:$TAG-loong64"',
      'docker manifest annotate "$IMAGE:$TAG" "$IMAGE:$TAG-arm64" --os linux --arch arm64 --variant v8',
      'docker manifest push --purge "$IMAGE:$TAG"',
    ]);
  });

  it('annotates every other architecture', () => {
    const others = ARCHES.filter((arch) => arch.name !== 'loong64');
    const arch = [others.map((other) => other.name).join(',')];
    const { yaml } = travis({ arch, image: 'example/app', base: 'example/base:1' });
    const manifest = yaml.jobs.include.find((job) => job.stage === 'manifest');
    const annotated = (manifest?.script ?? [])
      .filter((line) => line.startsWith('docker manifest annotate '))
      .map((line) => line.split(' ')[4]);
    expect(annotated).toEqual(others.map((arch) => `"$IMAGE:$TAG-${arch.slug}"`));
  });

  it('turns off default provenance attestations', () => {
    // `docker manifest create` rejects a source that is an image index,
    // which buildx pushes when it adds an attestation.
    for (const strategy of ['auto', 'emulated', 'native', 'legacy']) {
      const { yaml } = travis({ image: 'example/app', strategy, base: 'alpine' });
      expect(yaml.env.global, strategy).toContain('BUILDX_NO_DEFAULT_ATTESTATIONS=1');
    }
  });

  it('runs native jobs on the architecture and asserts uname -m', () => {
    const { yaml } = travis({ strategy: 'native', image: 'example/app' });
    const jobs = buildJobs(yaml);
    expect(jobs.map((job) => job.arch)).toEqual(['ppc64le', 's390x']);
    for (const job of jobs) {
      expect(job.before_install).toEqual([expect.stringMatching(/^uname -m \| grep -Fx -e /)]);
      expect(allCommands({ ...yaml, jobs: { include: [job] } }).join('\n')).not.toContain('binfmt');
    }
  });

  it('emulates everything on amd64 with auto', () => {
    const { yaml } = travis({ arch: ['arm64', 'ppc64le', 's390x'], image: 'example/app' });
    expect(buildJobs(yaml).map((job) => job.arch)).toEqual(['amd64', 'amd64', 'amd64']);
  });

  it('builds the legacy strategy without BuildKit or the F flag', () => {
    const { yaml } = travis({ arch: ['ppc64le'], strategy: 'legacy', base: 'alpine' });
    const [job] = buildJobs(yaml);
    expect(job.before_install?.[0]).toMatch(/multiarch\/qemu-user-static:[\d.-]+ --reset$/);
    const build = job.script.find((line) => line.startsWith('docker build'));
    expect(build).not.toContain('--platform');
    expect(job.script[0]).toBe('docker pull --platform linux/ppc64le ppc64le/alpine');
    expect(yaml.env.global).toContain('DOCKER_BUILDKIT=0');
  });

  it('copies no emulator for amd64 and 386 in legacy', () => {
    const { files, yaml } = travis({ arch: ['amd64,386,arm64'], strategy: 'legacy', base: 'alpine' });
    const dockerfile = (name: string) => files.find((file) => file.path === name)?.content ?? '';
    expect(dockerfile('Dockerfile.amd64')).not.toContain('qemu');
    expect(dockerfile('Dockerfile.i386')).not.toContain('qemu');
    expect(dockerfile('Dockerfile.arm64')).toContain('qemu-aarch64-static');
    const [amd64, i386, arm64] = buildJobs(yaml);
    expect(amd64.before_install?.join('\n')).not.toContain('qemu');
    expect(i386.before_install?.join('\n')).not.toContain('qemu');
    expect(arm64.before_install?.join('\n')).toContain('qemu-user-static');
  });

  it.each([
    ['push', 'true'],
    ['cron', 'false'],
    ['api', 'false'],
    ['pull_request', 'false'],
  ])('publishes build jobs only on push: %s', (event, expected) => {
    const { yaml } = travis({ image: 'example/app' });
    const condition = buildJobs(yaml)[0].before_script?.[0] ?? '';
    const output = execFileSync('bash', ['-c', `${condition}; printf %s "$PUBLISH"`], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        TRAVIS_EVENT_TYPE: event,
        TRAVIS_PULL_REQUEST: event === 'pull_request' ? '7' : 'false',
        TRAVIS_BRANCH: 'main',
      },
    });
    expect(output).toBe(expected);
  });

  it('probes emulation in each arch namespace', () => {
    const { yaml } = travis({ arch: ['arm/v7,s390x'], base: 'arm32v6/alpine:3.22' });
    const commands = allCommands(yaml).join('\n');
    expect(commands).toContain('--platform linux/arm/v7 arm32v7/alpine:3.22');
    expect(commands).toContain('--platform linux/s390x s390x/alpine:3.22');
    expect(commands).not.toContain('arm32v6/');
  });

  it('passes build args verbatim to docker', () => {
    const values = ["URL=https://m.example/p?k=v&x='y'", 'ENABLE=on', 'RELEASE=1.20', 'SPACE=a b'];
    const { yaml } = travis({ image: 'example/app', buildArgs: values });
    const args = dockerArgs(buildJobs(yaml)[0].script[0]);
    for (const value of values) {
      expect(args).toContain(value);
    }
  });

  it('defaults the image to the repository slug in lower case', () => {
    const { yaml } = travis({});
    const assignment = yaml.env.global.find((line) => line.startsWith('IMAGE='));
    const image = execFileSync('bash', ['-c', `${assignment}; printf %s "$IMAGE"`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TRAVIS_REPO_SLUG: 'Owner/My-App' },
    });
    expect(image).toBe('owner/my-app');
  });

  it('writes one variable per env entry', () => {
    // Travis CI ends a quoted env value at the next quote of its kind, so
    // a value quoted as a whole must not contain that quote.
    const entry = /^[A-Za-z_]\w*=(?:"[^"]*"|'[^']*'|[^\s"'`]*)$/;
    for (const options of [{}, { image: 'example/app' }]) {
      for (const line of travis(options).yaml.env.global) {
        expect(line).toMatch(entry);
      }
    }
  });

  it('starts with a header naming the command', () => {
    const { text } = travis({ image: 'example/app' });
    expect(text.split('\n')[0]).toMatch(
      /^# Generated by gen-ci [\d.]+: gen-ci --arch ppc64le,s390x --ci travis --image example\/app/,
    );
  });

  it('gives identical bytes on every run', () => {
    const options = { image: 'example/app', buildArgs: ['A=1'] };
    expect(travis(options).text).toBe(travis(options).text);
  });
});
