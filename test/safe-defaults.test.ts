/**
 * The security defaults of every generated pipeline, with one block per
 * rule and one test per CI. The rules cover where secrets come from, how
 * logins pass them, tracing and environment dumps, pinned images and
 * actions, and which events publish. Every build must also check its
 * emulator or native runner before it builds.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { GenerateOptions } from '../src/config';
import { generate } from '../src/generate';
import { PROBE_IMAGE } from '../src/targets/arch-checks';
import type { GeneratedFile } from '../src/targets/types';
import { parseBothVersions, shellContexts } from './helpers/pipelines';

type Ci = 'travis' | 'gitlab' | 'github';
type Json = Record<string, unknown>;

const PIPELINE_PATHS: Record<Ci, string> = {
  travis: '.travis.yml',
  gitlab: '.gitlab-ci.yml',
  github: '.github/workflows/multiarch.yml',
};

/** Option sets that cover every job kind: native, emulated, legacy. */
const CASES: Record<Ci, Partial<GenerateOptions>[]> = {
  travis: [
    { arch: ['ppc64le,s390x'], image: 'example/app' },
    { arch: ['amd64,arm64,ppc64le,s390x'], strategy: 'native' },
    { arch: ['ppc64le,arm/v7'], strategy: 'legacy', image: 'ghcr.io/o/a' },
  ],
  gitlab: [
    { arch: ['amd64,arm64,ppc64le,arm/v7'] },
    { arch: ['arm64,s390x'], strategy: 'emulated', image: 'quay.io/o/a' },
    {
      arch: ['arm64,arm/v7,ppc64le,riscv64'],
      strategy: 'native',
      runner: ['gitlab:arm/v7=pi'],
      image: 'registry.gitlab.com/g/a',
    },
  ],
  github: [
    { arch: ['amd64,arm64,arm/v7,ppc64le'] },
    { arch: ['arm64,s390x'], strategy: 'emulated', image: 'example/app' },
    { arch: ['riscv64'], pinActions: 'sha', image: 'ghcr.io/o/a' },
  ],
};

const CIS: Ci[] = ['travis', 'gitlab', 'github'];

function pipeline(ci: Ci, options: Partial<GenerateOptions>): GeneratedFile {
  const files = generate({ arch: ['arm64'], ...options, ci: [ci] });
  const file = files.find((entry) => entry.path === PIPELINE_PATHS[ci]);
  if (!file) {
    throw new Error(`no ${PIPELINE_PATHS[ci]} generated`);
  }
  return file;
}

/** Generates each case of `ci` with its parsed YAML and shell lines. */
function each(ci: Ci) {
  return CASES[ci].map((options) => {
    const file = pipeline(ci, options);
    const yaml = parseBothVersions(file.content);
    const lines = shellContexts(file).flatMap((context) => context.lines);
    return { options, file, yaml, lines };
  });
}

/** Runs one shell line in bash with the given functions and variables. */
function bash(script: string, env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Step {
  name: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

function githubJobs(yaml: Json) {
  return yaml.jobs as Record<string, { if?: string; permissions?: Json; steps: Step[] }>;
}

function githubSteps(yaml: Json): Step[] {
  return Object.values(githubJobs(yaml)).flatMap((job) => job.steps);
}

describe('secrets come only from the CI secret store', () => {
  it('travis: reads DOCKER_PASSWORD from repository settings', () => {
    for (const { yaml, file, lines } of each('travis')) {
      const globals = (yaml.env as { global: unknown[] }).global;
      for (const entry of globals) {
        expect(typeof entry, 'no secure: entries').toBe('string');
        expect(String(entry)).not.toMatch(/PASSWORD|USERNAME|TOKEN/);
      }
      const uses = lines.filter((line) => line.includes('DOCKER_PASSWORD'));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) {
        expect(line).toContain(`printf '%s\\n' "$DOCKER_PASSWORD" | docker login`);
      }
      expect(file.content).toMatch(/^# Set DOCKER_USERNAME and DOCKER_PASSWORD in the repository settings/m);
    }
  });

  it('gitlab: uses CI_REGISTRY_* or masked, protected variables', () => {
    for (const { yaml, file, lines } of each('gitlab')) {
      const variables = yaml.variables as Record<string, string>;
      expect(Object.keys(variables).join(' ')).not.toMatch(/PASSWORD|USER|TOKEN/);
      const uses = lines.filter((line) => /PASSWORD/.test(line));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) {
        expect(line).toMatch(/printf '%s\\n' "\$(CI_REGISTRY_PASSWORD|DOCKER_PASSWORD)" \| docker login/);
      }
      if (file.content.includes('DOCKER_PASSWORD')) {
        expect(file.content).toContain('as masked and protected CI/CD variables');
      }
    }
  });

  it('github: passes only secrets.* or GITHUB_TOKEN to login-action', () => {
    for (const { yaml, file } of each('github')) {
      for (const step of githubSteps(yaml)) {
        const secrets = JSON.stringify(step).match(/secrets\.\w+/g) ?? [];
        if (!step.uses?.startsWith('docker/login-action@')) {
          expect(secrets, step.name).toEqual([]);
          continue;
        }
        expect(step.with?.password).toMatch(/^\$\{\{ secrets\.(GITHUB_TOKEN|DOCKER_PASSWORD) \}\}$/);
      }
      expect(file.content).not.toMatch(/^\s*password: (?!'\$\{\{)/m);
    }
  });
});

/** A docker stub that records its arguments and what it read on stdin. */
const LOGIN_STUB =
  'docker() { printf "%s\\n" "$@" > "$ARGS_FILE"; cat > "$STDIN_FILE"; }';

describe('logins pass the password on stdin', () => {
  for (const ci of ['travis', 'gitlab'] as const) {
    it(`${ci}: docker login --password-stdin, password never in argv`, () => {
      for (const { lines } of each(ci)) {
        const logins = lines.filter((line) => line.includes('docker login'));
        expect(logins.length).toBeGreaterThan(0);
        for (const line of logins) {
          const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
          const env = {
            ARGS_FILE: `${dir}/args`,
            STDIN_FILE: `${dir}/stdin`,
            PUBLISH: 'true',
            DOCKER_PASSWORD: 's3cret-pw',
            CI_REGISTRY_PASSWORD: 's3cret-pw',
            DOCKER_USERNAME: 'user',
            CI_REGISTRY_USER: 'user',
            CI_REGISTRY: 'registry.gitlab.com',
          };
          const result = bash(`${LOGIN_STUB}\n${line}\ncat "$ARGS_FILE"; printf '|'; cat "$STDIN_FILE"`, env);
          const [args, stdin] = result.stdout.split('|');
          expect(args).toContain('--password-stdin');
          expect(args).not.toContain('s3cret-pw');
          expect(args.split('\n')).not.toContain('-p');
          expect(args.split('\n')).not.toContain('--password');
          expect(stdin).toBe('s3cret-pw\n');
        }
      }
    });
  }

  it('github: logs in only through login-action', () => {
    for (const { yaml } of each('github')) {
      for (const step of githubSteps(yaml)) {
        expect(step.run ?? '').not.toMatch(/docker login/);
      }
      const logins = githubSteps(yaml).filter((step) => step.uses?.startsWith('docker/login-action@'));
      expect(logins.length).toBe(2);
    }
  });
});

/** Commands that print every variable, secrets included. */
const ENVIRONMENT_DUMP =
  /(^|[;&|({]\s*|\bthen\s+|\bdo\s+)(env|printenv|export\s+-p|declare\s+-p|typeset\s+-p|set)\s*($|[;&|)}])/;
/** Shell tracing, which prints each command with its expanded values. */
const TRACING = /\bset\s+(-[a-zA-Z]*x|-o\s+xtrace)|\b(ba)?sh\s+-[a-zA-Z]*x|BASH_XTRACEFD|\bSHELLOPTS=/;

describe('no tracing and no environment dumps', () => {
  it('checks the patterns themselves', () => {
    for (const bad of ['set -x', 'set -ex', 'set -o xtrace', 'bash -x s.sh', 'env', 'a; printenv', 'export -p', 'if true; then set; fi']) {
      expect(TRACING.test(bad) || ENVIRONMENT_DUMP.test(bad), bad).toBe(true);
    }
    expect(ENVIRONMENT_DUMP.test('printf %s "$IMAGE"')).toBe(false);
  });

  for (const ci of CIS) {
    it(`${ci}: no script line traces or prints the environment`, () => {
      for (const { lines, file } of each(ci)) {
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          expect(line).not.toMatch(TRACING);
          expect(line).not.toMatch(ENVIRONMENT_DUMP);
        }
        expect(file.content).not.toMatch(/ACTIONS_STEP_DEBUG|CI_DEBUG_TRACE|CI_DEBUG_SERVICES/);
      }
    });
  }
});

const PINNED_TAG = /^[^:@]+(:(?!latest$)[\w][\w.-]*)?(@sha256:[0-9a-f]{64})?$/;

/** Image references of every `docker run` that a line starts. */
function runImages(line: string): string[] {
  const images: string[] = [];
  for (const match of line.matchAll(/docker run --rm (?:--privileged |--platform \S+ )+(\S+)/g)) {
    images.push(match[1]);
  }
  return images;
}

describe('emulator, probe and service images are pinned', () => {
  for (const ci of ['travis', 'gitlab'] as const) {
    it(`${ci}: every docker run names a fixed tag or digest`, () => {
      const images = each(ci).flatMap(({ lines }) => lines.flatMap(runImages));
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expect(image, image).toMatch(/[:@]/);
        expect(image, image).toMatch(PINNED_TAG);
      }
    });
  }

  it('gitlab: pins the docker CLI and dind images to a release', () => {
    for (const { yaml } of each('gitlab')) {
      const defaults = yaml.default as { image: string; services: string[] };
      expect(defaults.image).toMatch(/^docker:\d+(\.\d+)*-cli$/);
      expect(defaults.services).toEqual([expect.stringMatching(/^docker:\d+(\.\d+)*-dind$/)]);
    }
  });

  it('github: pins the binfmt image of setup-qemu-action', () => {
    for (const { yaml } of each('github')) {
      const qemu = githubSteps(yaml).find((step) => step.uses?.startsWith('docker/setup-qemu-action@'));
      expect(qemu?.with?.image).toMatch(PINNED_TAG);
      expect(qemu?.with?.image).toMatch(/:/);
    }
  });

  it('probes a scratch-based build with pinned busybox', () => {
    const options: Partial<GenerateOptions> = {
      arch: ['ppc64le'],
      base: 'scratch',
      dockerfile: { fileName: 'Dockerfile', content: 'FROM scratch\nCOPY app /app\n' },
    };
    for (const ci of CIS) {
      const text = pipeline(ci, options).content;
      expect(text, ci).toContain(`ppc64le/${PROBE_IMAGE} uname -m`);
      expect(text, ci).not.toMatch(/ scratch uname/);
    }
  });
});

describe('actions are pinned', () => {
  it('github: every action names a major version or a full commit SHA', () => {
    for (const { yaml, options } of each('github')) {
      const uses = githubSteps(yaml).flatMap((step) => step.uses ?? []);
      expect(uses.length).toBeGreaterThan(0);
      const pattern = options.pinActions === 'sha' ? /^[\w-]+\/[\w-]+@[0-9a-f]{40}$/ : /^[\w-]+\/[\w-]+@v\d+$/;
      for (const action of uses) {
        expect(action).toMatch(pattern);
      }
    }
  });

  it('github: --pin-actions sha names each release in a comment', () => {
    const text = pipeline('github', { pinActions: 'sha' }).content;
    const lines = text.split('\n').filter((line) => line.includes('uses:'));
    for (const line of lines) {
      expect(line).toMatch(/uses: [\w-]+\/[\w-]+@[0-9a-f]{40} {2}# v\d+\.\d+\.\d+$/);
    }
  });
});

describe('github: minimal permissions', () => {
  it('grants read-only contents and packages only where ghcr.io needs it', () => {
    for (const { yaml, options } of each('github')) {
      expect(yaml.permissions).toEqual({ contents: 'read' });
      const ghcr = options.image === undefined || options.image.startsWith('ghcr.io/');
      const jobs = githubJobs(yaml);
      expect(jobs.build.permissions).toEqual(ghcr ? { contents: 'read', packages: 'write' } : undefined);
      expect(jobs.merge.permissions).toEqual(ghcr ? { packages: 'write' } : {});
    }
  });
});

describe('github: no untrusted expressions in run', () => {
  it('keeps every ${{ }} out of run scripts', () => {
    for (const { yaml } of each('github')) {
      const runs = githubSteps(yaml).flatMap((step) => step.run ?? []);
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run).not.toContain('${{');
      }
    }
  });
});

const PUSH_ONLY = "github.event_name == 'push'";

describe('no publishing from pull requests or forks', () => {
  it('github: only push events log in, push and merge', () => {
    for (const { yaml } of each('github')) {
      expect(Object.keys(yaml.on as Json).sort()).toEqual(['pull_request', 'push']);
      const jobs = githubJobs(yaml);
      expect(jobs.merge.if).toBe(PUSH_ONLY);
      for (const step of githubSteps(yaml)) {
        const publishing = /login-action|upload-artifact/.test(step.uses ?? '') || step.name === 'Export the digest';
        if (publishing && !jobs.merge.steps.includes(step)) {
          expect(step.if, step.name).toBe(PUSH_ONLY);
        }
        if (step.uses?.startsWith('docker/build-push-action@')) {
          expect(step.with?.outputs).toContain(`push=\${{ ${PUSH_ONLY} }}`);
        }
        if (step.uses?.startsWith('actions/checkout@')) {
          expect(step.with?.['persist-credentials']).toBe('false');
        }
      }
      expect(JSON.stringify(yaml)).not.toMatch(/pull_request_target|workflow_run/);
    }
  });

  it('travis: publishes only when TRAVIS_PULL_REQUEST is false', () => {
    for (const { yaml } of each('travis')) {
      const jobs = (yaml.jobs as { include: Json[] }).include;
      for (const job of jobs.filter((entry) => entry.stage === 'build')) {
        const [condition] = job.before_script as string[];
        const publish = (env: Record<string, string>) =>
          bash(`${condition}; printf %s "$PUBLISH"`, { TRAVIS_EVENT_TYPE: 'push', ...env }).stdout;
        expect(publish({ TRAVIS_PULL_REQUEST: 'false', TRAVIS_BRANCH: 'main' })).toBe('true');
        expect(
          publish({ TRAVIS_EVENT_TYPE: 'cron', TRAVIS_PULL_REQUEST: 'false', TRAVIS_BRANCH: 'main' }),
        ).toBe('false');
        expect(publish({ TRAVIS_PULL_REQUEST: '17', TRAVIS_BRANCH: 'main' })).toBe('false');
        expect(publish({ TRAVIS_PULL_REQUEST: '17', TRAVIS_TAG: 'v1' })).toBe('false');
        expect(publish({ TRAVIS_PULL_REQUEST: 'false', TRAVIS_BRANCH: 'feature' })).toBe('false');
        // Pulls of legacy bases and the build come first; the rest pushes.
        const script = job.script as string[];
        const build = script.findIndex((line) => line.startsWith('docker build'));
        expect(build).toBeGreaterThanOrEqual(0);
        for (const line of script.slice(build + 1)) {
          expect(line).toMatch(/^if \[ "\$PUBLISH" = true \]; then /);
        }
      }
      const stages = yaml.stages as { name: string; if?: string }[];
      expect(stages.find((stage) => stage.name === 'manifest')?.if).toMatch(/^type = push AND /);
    }
  });

  it('travis: quotes a branch named like a condition keyword', () => {
    for (const branch of ['OR', 'and', 'IS']) {
      const yaml = parseBothVersions(pipeline('travis', { branch }).content);
      const stages = yaml.stages as { name: string; if?: string }[];
      expect(stages[1].if).toBe(`type = push AND (branch = "${branch}" OR tag IS present)`);
    }
  });

  it('gitlab: publishes only from protected refs, never merge requests', () => {
    for (const { yaml } of each('gitlab')) {
      const [tagLine, condition] = (yaml['.build'] as { script: string[] }).script;
      const publish = (env: Record<string, string>) =>
        bash(`${tagLine}; ${condition}; printf %s "$PUBLISH"`, env).stdout;
      const onProtected = { CI_COMMIT_REF_PROTECTED: 'true' };
      expect(publish({ ...onProtected, CI_COMMIT_BRANCH: 'main' })).toBe('true');
      expect(publish({ ...onProtected, CI_COMMIT_TAG: 'v1' })).toBe('true');
      expect(publish({ CI_COMMIT_REF_PROTECTED: 'false', CI_COMMIT_BRANCH: 'main' })).toBe('false');
      expect(publish({ CI_COMMIT_TAG: 'v1' })).toBe('false');
      expect(publish({ ...onProtected, CI_COMMIT_BRANCH: 'feature' })).toBe('false');
      const mergeRequest = { ...onProtected, CI_PIPELINE_SOURCE: 'merge_request_event' };
      expect(publish({ ...mergeRequest, CI_COMMIT_BRANCH: 'main' })).toBe('false');
      const manifest = yaml.manifest as { rules: { if: string }[] };
      expect(manifest.rules).toEqual([
        {
          if: '$CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE != "merge_request_event" && ($CI_COMMIT_TAG || $CI_COMMIT_BRANCH == "main")',
        },
      ]);
    }
  });
});

/** Stubs for the check lines: `uname` and `docker run` print `machine`. */
function checkStubs(machine: string): string {
  return [
    `uname() { printf '%s\\n' ${machine}; }`,
    `docker() { [ "$1" = run ] && printf '%s\\n' ${machine}; return 0; }`,
  ].join('\n');
}

/** `uname -m` of a native runner for each matrix slug. */
const NATIVE_UNAME: Record<string, string> = {
  amd64: 'x86_64',
  i386: 'x86_64',
  arm64: 'aarch64',
  armv7: 'aarch64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};

/** Runs a check line as if the machine printed `machine`. */
function runCheck(line: string, machine: string, env: Record<string, string> = {}) {
  return bash(`${checkStubs(machine)}\n${line}`, env);
}

describe('emulated builds verify QEMU before building', () => {
  it('travis: each emulated job probes its platform in before_install', () => {
    for (const { yaml, options } of each('travis')) {
      const jobs = (yaml.jobs as { include: Json[] }).include.filter((job) => job.stage === 'build');
      for (const job of jobs.filter((entry) => entry.arch === 'amd64' && entry.name !== 'build amd64')) {
        const [register, verify] = job.before_install as string[];
        expect(register).toMatch(/qemu-user-static|binfmt/);
        if (options.strategy === 'legacy') {
          const missing = bash(`grep() { return 1; }\n${verify}`);
          expect(missing.status).not.toBe(0);
          expect(missing.stderr).toMatch(/QEMU handler qemu-\S+ for linux\/\S+ is not enabled/);
          continue;
        }
        const host = runCheck(verify, 'x86_64');
        expect(host.status, String(job.name)).not.toBe(0);
        expect(host.stderr).toMatch(/QEMU emulation of linux\/\S+ does not work/);
        const platform = /--platform (\S+)/.exec(verify)?.[1];
        const uname = { 'linux/ppc64le': 'ppc64le', 'linux/s390x': 's390x', 'linux/arm/v7': 'armv7l' }[platform ?? ''];
        expect(runCheck(verify, uname ?? 'none').status, verify).toBe(0);
      }
    }
  });

  it('gitlab: the emulated job probes every platform before the build', () => {
    for (const { yaml } of each('gitlab')) {
      const job = yaml['build-emulated'] as { before_script: string[]; parallel: { matrix: Record<string, string>[] } } | undefined;
      if (!job) {
        continue;
      }
      const checks = job.before_script.slice(1);
      expect(checks).toHaveLength(job.parallel.matrix.length);
      for (const line of checks) {
        const result = runCheck(line, 'x86_64');
        expect(result.status).not.toBe(0);
        expect(result.stderr).toMatch(/QEMU emulation of linux\/\S+ does not work/);
      }
    }
  });

  it('github: emulated legs check QEMU after setup and before the build', () => {
    for (const { yaml } of each('github')) {
      const build = githubJobs(yaml).build;
      const names = build.steps.map((step) => step.uses?.split('@')[0] ?? step.name);
      const setup = names.indexOf('docker/setup-qemu-action');
      const check = names.indexOf('Check QEMU emulation');
      expect(setup).toBeGreaterThanOrEqual(0);
      expect(check).toBe(setup + 1);
      expect(check).toBeLessThan(names.indexOf('docker/build-push-action'));
      const step = build.steps[check];
      expect(step.if).toBe('matrix.emulated');
      const legs = (build as unknown as { strategy: { matrix: { include: Json[] } } }).strategy.matrix.include;
      for (const leg of legs.filter((entry) => entry.emulated === true)) {
        const result = runCheck(step.run ?? '', 'x86_64', { SLUG: String(leg.slug) });
        expect(result.status, String(leg.slug)).not.toBe(0);
        expect(result.stderr).toMatch(/QEMU emulation of linux\/\S+ does not work/);
      }
      const unknown = runCheck(step.run ?? '', 'x86_64', { SLUG: 'sparc' });
      expect(unknown.status).not.toBe(0);
      expect(unknown.stderr).toContain('no architecture check for SLUG=sparc');
    }
  });

  it('gitlab: native jobs assert uname -m before the build', () => {
    for (const { yaml } of each('gitlab')) {
      for (const name of ['build-amd64', 'build-native']) {
        const job = yaml[name] as { before_script: string[]; parallel: { matrix: Record<string, string>[] } } | undefined;
        if (!job) {
          continue;
        }
        const [check] = job.before_script;
        for (const entry of job.parallel.matrix) {
          const machine = NATIVE_UNAME[entry.ARCH];
          expect(runCheck(check, machine, entry).status, entry.ARCH).toBe(0);
          const wrong = runCheck(check, 's390x', entry);
          const expected = entry.ARCH === 's390x' ? 0 : 1;
          expect(wrong.status, `${name} ${entry.ARCH}`).toBe(expected);
          if (expected === 1) {
            expect(wrong.stderr).toContain(`this job must run on`);
          }
        }
      }
    }
  });
});
