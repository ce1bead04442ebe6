import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GenerateOptions } from '../src/config';
import { generate } from '../src/generate';
import { ACTION_PINS } from '../src/targets/github-actions';
import { runCli, tempDir } from './helpers/cli';
import { sharedAvailable } from './helpers/shared';
import { compileUpstream } from './helpers/upstream-schemas';
import { resolveConfig } from '../src/config';
import { checkGeneratedFile } from '../src/validate/generated';

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

interface Leg {
  platform: string;
  slug: string;
  runner: string;
  emulated: boolean;
  binfmt?: string;
}

interface Job {
  name?: string;
  needs?: string;
  if?: string;
  'runs-on': string;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast': boolean; matrix: { include: Leg[] } };
  steps: Step[];
}

interface Workflow {
  name: string;
  on: { push: { branches: string[]; tags: string[] }; pull_request: null };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  env?: Record<string, string>;
  jobs: { build: Job; merge: Job };
}

const PUBLISHING = "github.event_name == 'push'";

function github(options: Partial<GenerateOptions>) {
  const files = generate({
    arch: ['ppc64le,s390x'],
    ci: ['github'],
    ...options,
  });
  const file = files.find((entry) => entry.path.startsWith('.github/'));
  if (!file) {
    throw new Error('no workflow generated');
  }
  const yaml = parse(file.content) as Workflow;
  return { files, path: file.path, text: file.content, yaml };
}

function stepNamed(job: Job, name: string): Step {
  const found = job.steps.find((step) => step.name === name);
  if (!found) {
    throw new Error(`no step ${name}`);
  }
  return found;
}

function actionStep(job: Job, action: string): Step | undefined {
  return job.steps.find((step) => step.uses?.startsWith(`${action}@`));
}

function allSteps(yaml: Workflow): Step[] {
  return [...yaml.jobs.build.steps, ...yaml.jobs.merge.steps];
}

function bash(script: string, env: Record<string, string>): string {
  // With stdin on a socket, bash would read ~/.bashrc as for rsh.
  return execFileSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs a step's script as GitHub's `shell: bash` does, with a `docker`
 * function that logs its arguments to stderr and prints `uname` as the
 * container's `uname -m`.
 */
function runWithUname(script: string, slug: string, uname: string) {
  const stub = [
    'docker() {',
    `  printf 'docker %s\\n' "$*" >&2`,
    `  printf '%s\\n' "$UNAME"`,
    '}',
  ].join('\n');
  const shell = ['--noprofile', '--norc', '-eo', 'pipefail', '-c'];
  return spawnSync('bash', [...shell, `${stub}\n${script}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', SLUG: slug, UNAME: uname },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const NATIVE_CHECK = 'Check the runner architecture';

function stepIndex(job: Job, name: string): number {
  return job.steps.findIndex((step) => step.name === name);
}

describe('github workflow', () => {
  it('writes the workflow under the workflow name', () => {
    expect(github({}).path).toBe('.github/workflows/multiarch.yml');
    expect(github({ workflowName: 'images' }).path).toBe(
      '.github/workflows/images.yml',
    );
    for (const workflowName of ['a/b', 'x.yml', '', '-x']) {
      expect(() => github({ workflowName }), workflowName).toThrow(
        expect.objectContaining({ code: 'OPTION_INVALID' }),
      );
    }
  });

  it('passes SchemaStore’s public workflow schema', () => {
    const schema = 'upstream/schemastore/schemas/json/github-workflow.json';
    if (!sharedAvailable(schema)) {
      return;
    }
    const validate = compileUpstream('github-workflow');
    const cases: Partial<GenerateOptions>[] = [
      { image: 'example/app' },
      { arch: ['amd64,arm64,ppc64le'], pinActions: 'sha' },
      { arch: ['386,arm/v7,riscv64'], strategy: 'native', buildArgs: ['A=1'] },
      { arch: ['arm64'], strategy: 'emulated', image: 'ghcr.io/o/app' },
    ];
    for (const options of cases) {
      const { yaml } = github(options);
      expect(validate(yaml), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('runs one leg per platform on the auto runners', () => {
    const { yaml } = github({ arch: ['amd64,arm/v7,arm64,ppc64le'] });
    expect(yaml.jobs.build.strategy?.matrix.include).toEqual([
      { platform: 'linux/amd64', slug: 'amd64', runner: 'ubuntu-24.04', emulated: false },
      { platform: 'linux/arm/v7', slug: 'armv7', runner: 'ubuntu-24.04-arm', emulated: false },
      { platform: 'linux/arm64', slug: 'arm64', runner: 'ubuntu-24.04-arm', emulated: false },
      { platform: 'linux/ppc64le', slug: 'ppc64le', runner: 'ubuntu-24.04', emulated: true, binfmt: 'ppc64le' },
    ]);
    expect(yaml.jobs.build['runs-on']).toBe('${{ matrix.runner }}');
    expect(yaml.jobs.build.strategy?.['fail-fast']).toBe(false);
  });

  it('emulates every leg with --strategy emulated', () => {
    const { yaml } = github({ arch: ['arm64'], strategy: 'emulated' });
    expect(yaml.jobs.build.strategy?.matrix.include).toEqual([
      { platform: 'linux/arm64', slug: 'arm64', runner: 'ubuntu-24.04', emulated: true, binfmt: 'arm64' },
    ]);
  });

  it('takes runner labels from --runner', () => {
    const { yaml } = github({
      arch: ['arm64,s390x'],
      runner: ['github:arm64=arm-large', 'github:s390x=z-runner', 'github:amd64=big'],
    });
    const legs = yaml.jobs.build.strategy?.matrix.include ?? [];
    expect(legs.map((leg) => [leg.runner, leg.emulated])).toEqual([
      ['arm-large', false],
      ['z-runner', false],
    ]);
    expect(yaml.jobs.merge['runs-on']).toBe('big');
  });

  it('sets up QEMU only on emulated legs, pinned', () => {
    const { yaml } = github({ emulatorImage: 'tonistiigi/binfmt:qemu-v7.0.0-28' });
    const qemu = actionStep(yaml.jobs.build, 'docker/setup-qemu-action');
    expect(qemu?.if).toBe('matrix.emulated');
    expect(qemu?.with).toEqual({
      platforms: '${{ matrix.binfmt }}',
      image: 'tonistiigi/binfmt:qemu-v7.0.0-28',
    });
    const steps = yaml.jobs.build.steps.map((step) => step.uses ?? step.name);
    const buildx = steps.findIndex((name) => name.startsWith('docker/setup-buildx'));
    expect(steps.findIndex((name) => name.startsWith('docker/setup-qemu'))).toBeLessThan(buildx);
  });

  it('checks a native arm/v7 leg before the build', () => {
    const { yaml } = github({ arch: ['arm/v7,ppc64le'], image: 'example/app' });
    const check = stepNamed(yaml.jobs.build, NATIVE_CHECK);
    expect(check.if).toBe('!matrix.emulated');
    expect(check.env).toEqual({ SLUG: '${{ matrix.slug }}' });
    expect(check.run).toContain(
      'armv7) docker run --rm --platform linux/arm/v7 arm32v7/alpine:3.22 uname -m | grep -Fx -e armv7l -e armv8l ||',
    );
    expect(check.run).toContain('runner ubuntu-24.04-arm cannot run linux/arm/v7');
    expect(check.run).not.toContain('ppc64le)');
    const build = stepIndex(yaml.jobs.build, 'Build and push by digest');
    expect(stepIndex(yaml.jobs.build, NATIVE_CHECK)).toBeLessThan(build);
  });

  it('checks a self-hosted native leg before the build', () => {
    const { yaml } = github({
      arch: ['s390x'],
      runner: ['github:s390x=z-runner'],
      image: 'example/app',
    });
    expect(yaml.jobs.build.strategy?.matrix.include).toEqual([
      { platform: 'linux/s390x', slug: 's390x', runner: 'z-runner', emulated: false },
    ]);
    const check = stepNamed(yaml.jobs.build, NATIVE_CHECK);
    expect(check.if).toBe('!matrix.emulated');
    expect(check.run).toContain(
      's390x) docker run --rm --platform linux/s390x s390x/alpine:3.22 uname -m | grep -Fx -e s390x ||',
    );
    expect(check.run).toContain('runner z-runner cannot run linux/s390x');
    const build = stepIndex(yaml.jobs.build, 'Build and push by digest');
    expect(stepIndex(yaml.jobs.build, NATIVE_CHECK)).toBeLessThan(build);
    expect(stepIndex(yaml.jobs.build, 'Check QEMU emulation')).toBe(-1);
  });

  it('keeps the QEMU check of emulated legs', () => {
    const emulatedOnly = github({ arch: ['ppc64le'], image: 'example/app' });
    expect(stepIndex(emulatedOnly.yaml.jobs.build, NATIVE_CHECK)).toBe(-1);
    const mixed = github({ arch: ['arm/v7,ppc64le'], image: 'example/app' });
    const qemu = stepNamed(mixed.yaml.jobs.build, 'Check QEMU emulation');
    expect(qemu.if).toBe('matrix.emulated');
    expect(qemu.env).toEqual({ SLUG: '${{ matrix.slug }}' });
    expect(qemu.run).toBe(
      "case \"$SLUG\" in ppc64le) docker run --rm --platform linux/ppc64le ppc64le/alpine:3.22 uname -m | grep -Fx -e ppc64le || { echo 'QEMU emulation of linux/ppc64le does not work: uname -m in a linux/ppc64le container printed none of ppc64le' >&2; false; } ;; *) echo 'no architecture check for SLUG='\"$SLUG\" >&2; false ;; esac",
    );
    expect(stepNamed(emulatedOnly.yaml.jobs.build, 'Check QEMU emulation')).toEqual(qemu);
  });

  it('passes the native check only for accepted uname values', () => {
    const { yaml } = github({
      arch: ['arm/v7,s390x'],
      runner: ['github:s390x=z-runner'],
      image: 'example/app',
    });
    const script = stepNamed(yaml.jobs.build, NATIVE_CHECK).run ?? '';
    const cases: [string, string, string][] = [
      ['armv7', 'armv7l', 'docker run --rm --platform linux/arm/v7 arm32v7/alpine:3.22 uname -m'],
      ['armv7', 'armv8l', 'docker run --rm --platform linux/arm/v7 arm32v7/alpine:3.22 uname -m'],
      ['s390x', 's390x', 'docker run --rm --platform linux/s390x s390x/alpine:3.22 uname -m'],
    ];
    for (const [slug, uname, call] of cases) {
      const result = runWithUname(script, slug, uname);
      expect(result.status, `${slug} ${uname}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toBe(`${uname}\n`);
      expect(result.stderr).toBe(`${call}\n`);
    }
    const failures: [string, string, string][] = [
      ['armv7', 'aarch64', 'runner ubuntu-24.04-arm cannot run linux/arm/v7 containers: uname -m in a linux/arm/v7 container printed none of armv7l, armv8l'],
      ['armv7', '', 'runner ubuntu-24.04-arm cannot run linux/arm/v7 containers'],
      ['s390x', 'x86_64', 'runner z-runner cannot run linux/s390x containers: uname -m in a linux/s390x container printed none of s390x'],
    ];
    for (const [slug, uname, message] of failures) {
      const result = runWithUname(script, slug, uname);
      expect(result.status, `${slug} ${uname}`).toBe(1);
      expect(result.stderr).toContain(message);
    }
  });

  it('derives every per-architecture name from the slug', () => {
    const { yaml } = github({ arch: ['arm/v7,ppc64le'], image: 'example/app' });
    const build = stepNamed(yaml.jobs.build, 'Build and push by digest');
    expect(build.with?.file).toBe('Dockerfile.${{ matrix.slug }}');
    expect(build.with?.platforms).toBe('${{ matrix.platform }}');
    expect(build.with?.['cache-from']).toBe('type=gha,scope=${{ matrix.slug }}');
    expect(build.with?.['cache-to']).toBe('type=gha,mode=max,scope=${{ matrix.slug }}');
    expect(yaml.jobs.build.name).toBe('build ${{ matrix.slug }}');
    const upload = stepNamed(yaml.jobs.build, 'Upload the digest');
    expect(upload.with?.name).toBe('digests-${{ matrix.slug }}');
    expect(upload.with?.path).toBe('${{ runner.temp }}/digests/${{ matrix.slug }}');
    const exported = stepNamed(yaml.jobs.build, 'Export the digest');
    expect(exported.env?.SLUG).toBe('${{ matrix.slug }}');
    const download = stepNamed(yaml.jobs.merge, 'Download the digests');
    expect(download.with).toMatchObject({ pattern: 'digests-*', 'merge-multiple': 'true' });
  });

  it('lets a rerun replace the digest artifact', () => {
    // upload-artifact v4 and later fail on a name that the run already
    // has, and a re-run job belongs to the same run.
    for (const pinActions of ['major', 'sha']) {
      const { yaml } = github({ pinActions });
      const upload = stepNamed(yaml.jobs.build, 'Upload the digest');
      expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
      expect(upload.with?.overwrite, pinActions).toBe('true');
    }
  });

  it('pushes by digest, except for pull requests', () => {
    const { yaml } = github({});
    const build = stepNamed(yaml.jobs.build, 'Build and push by digest');
    expect(build.with?.outputs).toBe(
      `type=image,name=\${{ env.IMAGE }},push-by-digest=true,name-canonical=true,push=\${{ ${PUBLISHING} }}`,
    );
    expect(yaml.on.pull_request).toBeNull();
    for (const job of [yaml.jobs.build, yaml.jobs.merge]) {
      const login = actionStep(job, 'docker/login-action');
      expect(login?.if).toBe(PUBLISHING);
    }
    for (const name of ['Export the digest', 'Upload the digest']) {
      expect(stepNamed(yaml.jobs.build, name).if).toBe(PUBLISHING);
    }
    expect(yaml.jobs.merge.if).toBe(PUBLISHING);
    expect(yaml.jobs.merge.needs).toBe('build');
  });

  it('grants least privilege for ghcr.io', () => {
    const { yaml, text } = github({});
    expect(yaml.permissions).toEqual({ contents: 'read' });
    expect(yaml.jobs.build.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(yaml.jobs.merge.permissions).toEqual({ packages: 'write' });
    const login = actionStep(yaml.jobs.merge, 'docker/login-action');
    expect(login?.with).toEqual({
      registry: 'ghcr.io',
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}',
    });
    expect(text).toMatch(/^# Pushes to ghcr.io with GITHUB_TOKEN/m);
  });

  it('grants no package scope for other registries', () => {
    const { yaml, text } = github({ image: 'example/app' });
    expect(yaml.jobs.build.permissions).toBeUndefined();
    expect(yaml.jobs.merge.permissions).toEqual({});
    expect(text).not.toContain('packages');
    const login = actionStep(yaml.jobs.build, 'docker/login-action');
    expect(login?.with).toEqual({
      username: '${{ secrets.DOCKER_USERNAME }}',
      password: '${{ secrets.DOCKER_PASSWORD }}',
    });
    expect(yaml.env).toEqual({ IMAGE: 'example/app' });
  });

  it('cancels superseded runs', () => {
    const { yaml } = github({});
    expect(yaml.concurrency).toEqual({
      group: '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': true,
    });
  });

  it('keeps expressions out of run scripts', () => {
    const cases: Partial<GenerateOptions>[] = [
      {},
      { image: 'quay.io/org/app', buildArgs: ['A=b c'] },
      { arch: ['amd64,arm64'], pinActions: 'sha' },
      { arch: ['arm/v7,s390x'], runner: ['github:s390x=z-runner'] },
    ];
    for (const options of cases) {
      const runs = allSteps(github(options).yaml).flatMap((step) =>
        step.run === undefined ? [] : [step.run],
      );
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run).not.toContain('${{');
      }
    }
  });

  it('names the default image in lower case', () => {
    const { yaml } = github({});
    const step = stepNamed(yaml.jobs.build, 'Name the image after the repository');
    expect(step.env).toEqual({ REPOSITORY: '${{ github.repository }}' });
    const dir = tempDir('gen-ci-github-');
    try {
      const envFile = path.join(dir, 'env');
      bash(step.run ?? '', { REPOSITORY: 'Owner/My-App', GITHUB_ENV: envFile });
      expect(fs.readFileSync(envFile, 'utf8')).toBe('IMAGE=ghcr.io/owner/my-app\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the manifest list from every digest and tag', () => {
    const { yaml } = github({ arch: ['arm/v7,ppc64le'], image: 'example/app' });
    const dir = tempDir('gen-ci-github-');
    try {
      const digests = path.join(dir, 'digests');
      fs.mkdirSync(digests);
      const exported = stepNamed(yaml.jobs.build, 'Export the digest');
      for (const slug of ['armv7', 'ppc64le']) {
        bash(exported.run ?? '', {
          RUNNER_TEMP: dir,
          DIGEST: `sha256:${slug}`,
          SLUG: slug,
        });
      }
      const merge = stepNamed(yaml.jobs.merge, 'Create the manifest list');
      expect(merge.env).toEqual({ TAGS: '${{ steps.meta.outputs.tags }}' });
      const output = bash(`docker() { printf '%s\\n' "$@"; }\n${merge.run}`, {
        RUNNER_TEMP: dir,
        IMAGE: 'example/app',
        TAGS: 'example/app:v1\nexample/app:latest',
      });
      expect(output.split('\n').slice(0, -1)).toEqual([
        'buildx',
        'imagetools',
        'create',
        '--tag=example/app:v1',
        '--tag=example/app:latest',
        'example/app@sha256:armv7',
        'example/app@sha256:ppc64le',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tags the git tag, or latest on the branch', () => {
    const { yaml } = github({ branch: 'release' });
    const meta = actionStep(yaml.jobs.merge, 'docker/metadata-action');
    expect(meta?.with).toEqual({
      images: '${{ env.IMAGE }}',
      flavor: 'latest=false',
      tags: "type=ref,event=tag\ntype=raw,value=latest,enable=${{ github.ref == 'refs/heads/release' }}",
    });
    expect(yaml.on.push).toEqual({ branches: ['release'], tags: ['**'] });
  });

  it('passes build args one per line, quoting quotes', () => {
    const { yaml } = github({ buildArgs: ['URL=https://x/?a=1,b', 'Q="x"'] });
    const build = stepNamed(yaml.jobs.build, 'Build and push by digest');
    expect(build.with?.['build-args']).toBe('URL=https://x/?a=1,b\n"Q=""x"""');
  });

  it('pins actions to major versions by default', () => {
    const { yaml } = github({});
    for (const step of allSteps(yaml)) {
      if (step.uses) {
        expect(step.uses).toMatch(/^[a-z-]+\/[a-z-]+@v\d+$/);
      }
    }
  });

  it('pins actions to commit SHAs with --pin-actions sha', () => {
    const major = github({}).yaml;
    const { yaml, text } = github({ pinActions: 'sha' });
    const shaUses = allSteps(yaml).flatMap((step) => (step.uses ? [step.uses] : []));
    const majorUses = allSteps(major).flatMap((step) => (step.uses ? [step.uses] : []));
    expect(shaUses.map((uses) => uses.split('@')[0])).toEqual(
      majorUses.map((uses) => uses.split('@')[0]),
    );
    for (const uses of shaUses) {
      expect(uses).toMatch(/@[0-9a-f]{40}$/);
    }
    for (const pin of Object.values(ACTION_PINS)) {
      if (text.includes(pin.sha)) {
        expect(text).toContain(`${pin.action}@${pin.sha}  # ${pin.release}`);
      }
    }
    expect(() => github({ pinActions: 'tag' })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID' }),
    );
  });

  it('rejects the legacy strategy', () => {
    expect(() => github({ strategy: 'legacy' })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID' }),
    );
  });

  it('gives identical bytes on every run', () => {
    const options = { image: 'example/app', buildArgs: ['A=1'] };
    expect(github(options).text).toBe(github(options).text);
  });

  it('fails its own schema for an expression in run', () => {
    const config = resolveConfig({ arch: ['ppc64le'], ci: ['github'] });
    const { text, path: file } = github({ arch: ['ppc64le'] });
    const edits: [string, string][] = [
      ['"$DIGEST"', '"${{ steps.build.outputs.digest }}"'],
      ['  contents: read\nconcurrency', '  contents: write\nconcurrency'],
      ['uses: actions/checkout@v7', 'uses: actions/checkout@main'],
    ];
    for (const [from, to] of edits) {
      expect(text).toContain(from);
      const content = text.replace(from, to);
      const rules = checkGeneratedFile(config, { path: file, content })
        .filter((finding) => finding.severity === 'error')
        .map((finding) => finding.rule);
      expect(rules, to).toContain('schema-github');
    }
  });
});

describe('three CIs from one command', () => {
  it('writes pipelines that pass the public schemas', () => {
    const dir = tempDir('gen-ci-three-');
    try {
      const args = ['--arch', 'ppc64le,s390x', '--ci', 'travis,gitlab,github', '--image', 'example/app'];
      const result = runCli(args, dir);
      expect(result.status, result.stderr).toBe(0);
      const files: [string, 'travis' | 'gitlab' | 'github-workflow', string][] = [
        ['.travis.yml', 'travis', 'upstream/schemastore/schemas/json/travis.json'],
        ['.gitlab-ci.yml', 'gitlab', 'upstream/gitlab/ci.json'],
        ['.github/workflows/multiarch.yml', 'github-workflow', 'upstream/schemastore/schemas/json/github-workflow.json'],
      ];
      for (const [file, schema, source] of files) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        if (!sharedAvailable(source)) {
          continue;
        }
        const validate = compileUpstream(schema);
        expect(validate(parse(text)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers QEMU only for ppc64le beside native arm64', () => {
    const files = generate({
      arch: ['amd64,arm64,ppc64le'],
      ci: ['gitlab', 'github'],
      image: 'example/app',
    });
    const gitlab = parse(files.find((file) => file.path === '.gitlab-ci.yml')?.content ?? '');
    const registering = Object.entries(gitlab)
      .filter(([, job]) => JSON.stringify(job).includes('binfmt'))
      .map(([name, job]) => [name, (job as { parallel: { matrix: { ARCH: string }[] } }).parallel.matrix.map((entry) => entry.ARCH)]);
    expect(registering).toEqual([['build-emulated', ['ppc64le']]]);
    const workflow = parse(files.find((file) => file.path.startsWith('.github/'))?.content ?? '') as Workflow;
    const legs = workflow.jobs.build.strategy?.matrix.include ?? [];
    expect(legs.filter((leg) => leg.emulated).map((leg) => leg.slug)).toEqual(['ppc64le']);
    expect(legs.find((leg) => leg.slug === 'arm64')?.runner).toBe('ubuntu-24.04-arm');
  });
});
