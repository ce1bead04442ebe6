/**
 * Runs the TAG assignment of the Travis CI and GitLab CI pipelines in real
 * shells with hostile git tags. Each result must be a valid Docker tag, no
 * tag may run as code, and the build and manifest jobs must agree on tags.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES } from '../src/arch/table';
import { generate } from '../src/generate';
import { TAG_MAX_LENGTH } from '../src/targets/steps';
import { tempDir } from './helpers/cli';
import { parseBothVersions } from './helpers/pipelines';

/** A tag as the Docker/OCI distribution reference grammar defines it. */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const IMAGE = 'example/app';

const LONG_TAG = `v${'1234567890'.repeat(20)}`.slice(0, 200);

/** Name, git tag (undefined: not a tag build) and the expected TAG. */
const CASES: readonly [string, string | undefined, string][] = [
  ['version', 'v1.2.3', 'v1.2.3'],
  ['slash', 'release/1.0', 'release-1.0'],
  ['build metadata', 'v1.0+build.5', 'v1.0-build.5'],
  ['leading hyphen', '-rc1', '_rc1'],
  ['leading dot', '.hidden', '_hidden'],
  ['underscore kept first', '_x', '_x'],
  ['spaces', 'my release 2', 'my-release-2'],
  ['command substitution', '$(touch pwned)', '_-touch-pwned-'],
  ['backquotes', '`touch pwned`', '_touch-pwned-'],
  ['quotes and semicolons', `x";touch pwned;'`, 'x--touch-pwned--'],
  ['variable reference', '${HOME}', '_-HOME-'],
  ['glob', '*', '_'],
  ['non-ASCII bytes', 'v1-\u00e9', 'v1---'],
  ['newline', 'a\nb', 'a-b'],
  ['no tag', undefined, 'latest'],
  ['empty tag', '', 'latest'],
  ['200 characters', LONG_TAG, LONG_TAG.slice(0, TAG_MAX_LENGTH)],
];

interface Shell {
  readonly name: string;
  readonly command: readonly string[];
}

/** Returns a skip reason, or undefined when the shell runs. */
function shellProblem(command: readonly string[]): string | undefined {
  const result = spawnSync(command[0], [...command.slice(1), '-c', 'exit 0']);
  if (result.error !== undefined || result.status !== 0) {
    return `${command.join(' ')} is not available`;
  }
  return undefined;
}

// Travis CI runs bash and GitLab CI's docker:cli image runs BusyBox ash.
// `sh` (dash on Debian) checks the POSIX subset where busybox is missing.
const SHELLS: readonly Shell[] = [
  { name: 'sh', command: ['sh'] },
  { name: 'bash', command: ['bash'] },
  { name: 'busybox sh', command: ['busybox', 'sh'] },
];

const busyboxProblem = shellProblem(['busybox', 'sh']);
if (busyboxProblem !== undefined) {
  console.log(`skipped busybox sh cases: ${busyboxProblem}`);
}

function pipeline(ci: 'travis' | 'gitlab', arch: string[] = ['arm64']) {
  // A base outside Docker Hub's official images, which lack mips64le.
  const base = 'registry.example.com/base:1';
  const files = generate({ arch, ci: [ci], image: IMAGE, base });
  const name = ci === 'travis' ? '.travis.yml' : '.gitlab-ci.yml';
  const file = files.find((entry) => entry.path === name);
  if (!file) {
    throw new Error(`no ${name} generated`);
  }
  return parseBothVersions(file.content) as Record<string, any>;
}

/** Returns the TAG line of each CI, as its job shell runs it. */
function tagLines() {
  const travisEntry = (pipeline('travis').env.global as string[]).find(
    (entry) => entry.startsWith('TAG='),
  );
  const gitlab = pipeline('gitlab');
  return {
    travisEntry: travisEntry ?? '',
    gitlabBuild: gitlab['.build'].script[0] as string,
    gitlabManifest: gitlab.manifest.script[0] as string,
  };
}

const LINES = tagLines();

/** Travis CI exports each `env.global` entry, and GitLab runs the line. */
const CIS = [
  { ci: 'travis', variable: 'TRAVIS_TAG', line: `export ${LINES.travisEntry}` },
  { ci: 'gitlab', variable: 'CI_COMMIT_TAG', line: LINES.gitlabBuild },
] as const;

/** Runs `script` in a folder that contains one file, `existing`. */
function run(
  shell: Shell,
  script: string,
  env: Record<string, string | undefined>,
) {
  const cwd = tempDir('gen-ci-tag-');
  fs.writeFileSync(path.join(cwd, 'existing'), '');
  const args = [...shell.command.slice(1), '-c', script];
  const result = spawnSync(shell.command[0], args, {
    cwd,
    encoding: 'utf8',
    // bash reads ~/.bashrc when stdin is a socket, as Node's pipes are.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
  });
  const files = fs.readdirSync(cwd);
  fs.rmSync(cwd, { recursive: true, force: true });
  return { ...result, files };
}

describe('TAG assignment text', () => {
  it('is one line shared by the GitLab jobs', () => {
    expect(LINES.gitlabManifest).toBe(LINES.gitlabBuild);
    expect(LINES.gitlabBuild).toMatch(/^TAG=/);
  });

  it('is one double-quoted Travis env value', () => {
    // Travis CI ends a quoted env value at the next double quote.
    expect(LINES.travisEntry).toMatch(/^TAG="[^"]*"$/);
  });

  it('leaves room for every architecture suffix', () => {
    const longest = Math.max(...ARCHES.map((arch) => arch.slug.length));
    expect(TAG_MAX_LENGTH + 1 + longest).toBe(128);
  });
});

describe.each(SHELLS)('TAG assignment in $name', (shell) => {
  const problem = shell.name === 'busybox sh' ? busyboxProblem : undefined;

  describe.each(CIS)('$ci', ({ variable, line }) => {
    it.skipIf(problem !== undefined).each(CASES)(
      'maps %s',
      (_name, gitTag, expected) => {
        const result = run(shell, `${line}\nprintf %s "$TAG"`, {
          [variable]: gitTag,
        });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(expected);
        expect(result.stdout).toMatch(DOCKER_TAG);
        expect(result.files).toEqual(['existing']);
        for (const arch of ARCHES) {
          expect(`${result.stdout}-${arch.slug}`).toMatch(DOCKER_TAG);
        }
      },
    );

    it.skipIf(problem !== undefined)('keeps the shell options', () => {
      const check = [
        line,
        'set -- *',
        'printf "%s " "$1"',
        "words='a b'",
        'set -- $words',
        'printf %s "$#"',
      ].join('\n');
      const result = run(shell, check, { [variable]: 'v1' });
      expect(result.stdout).toBe('existing 2');
    });
  });
});

/** A `docker` function that logs its arguments, one call per line. */
const DOCKER_STUB = [
  'docker() {',
  `  printf '%s ' "$@" >> "$DOCKER_LOG"`,
  '  echo >> "$DOCKER_LOG"',
  '}',
].join('\n');

/** Runs the lines in one shell and returns the logged docker calls. */
function dockerCalls(
  shell: string,
  lines: readonly string[],
  env: Record<string, string>,
): string[][] {
  const cwd = tempDir('gen-ci-tag-jobs-');
  const log = path.join(cwd, 'docker.log');
  const script = [DOCKER_STUB, ...lines].join('\n');
  const result = spawnSync(shell, ['-c', script], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: cwd,
      DOCKER_LOG: log,
      ...env,
    },
  });
  expect(result.stderr).toBe('');
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  fs.rmSync(cwd, { recursive: true, force: true });
  return text
    .split('\n')
    .filter(Boolean)
    .map((call) => call.trim().split(' '));
}

function pushedTags(calls: readonly string[][]): string[] {
  return calls
    .filter((call) => call[0] === 'push')
    .map((call) => call[1]);
}

const ARCH_LIST = ['arm64', 'arm/v7', 'mips64le'];

/**
 * Returns the tags that the Travis CI build jobs push and the ones the
 * manifest job joins, for a push of the git tag `gitTag`.
 */
function travisTags(gitTag: string) {
  const yaml = pipeline('travis', ARCH_LIST);
  const env = {
    TRAVIS_EVENT_TYPE: 'push',
    TRAVIS_PULL_REQUEST: 'false',
    TRAVIS_BRANCH: 'main',
    TRAVIS_TAG: gitTag,
  };
  const globals = yaml.env.global as string[];
  const exports = globals.map((entry) => `export ${entry}`);
  const jobCalls = (job: Record<string, string[]>) => {
    const lines = [...exports, ...(job.before_script ?? []), ...job.script];
    return dockerCalls('bash', lines, env);
  };
  const jobs = yaml.jobs.include as Record<string, any>[];
  const pushed = jobs
    .filter((job) => job.stage === 'build')
    .flatMap((job) => pushedTags(jobCalls(job)));
  const manifestJob = jobs.find((job) => job.stage === 'manifest');
  const manifest = jobCalls(manifestJob ?? {});
  const create = manifest.find((call) => call[1] === 'create') ?? [];
  const push = manifest.find((call) => call[1] === 'push') ?? [];
  return { pushed, sources: create.slice(4), list: push.at(-1) };
}

/** Returns the same tags as travisTags() for the GitLab CI jobs. */
function gitlabTags(gitTag: string) {
  const yaml = pipeline('gitlab', ARCH_LIST);
  const env = {
    IMAGE,
    CI_COMMIT_TAG: gitTag,
    CI_COMMIT_REF_PROTECTED: 'true',
    CI_PIPELINE_SOURCE: 'push',
  };
  const script = yaml['.build'].script as string[];
  const entries = Object.entries(yaml)
    .filter(([name]) => name.startsWith('build-'))
    .flatMap(([, job]) => job.parallel.matrix as Record<string, string>[]);
  const pushed = entries.flatMap((entry) =>
    pushedTags(dockerCalls('sh', script, { ...env, ...entry })),
  );
  const manifest = dockerCalls('sh', yaml.manifest.script, env);
  const create = manifest.find((call) => call[1] === 'imagetools') ?? [];
  return { pushed, sources: create.slice(5), list: create[4] };
}

describe.each([
  ['travis', travisTags],
  ['gitlab', gitlabTags],
] as const)('%s jobs with a sanitised tag', (_ci, tags) => {
  it.each([
    ['release/1.0', 'release-1.0'],
    [LONG_TAG, LONG_TAG.slice(0, TAG_MAX_LENGTH)],
  ])('agree on the tags of %s', (gitTag, expected) => {
    const { pushed, sources, list } = tags(gitTag);
    expect(pushed).toHaveLength(ARCH_LIST.length);
    expect([...sources].sort()).toEqual([...pushed].sort());
    expect(list).toBe(`${IMAGE}:${expected}`);
    for (const reference of [...pushed, list ?? '']) {
      expect(reference.startsWith(`${IMAGE}:${expected}`)).toBe(true);
      expect(reference.slice(IMAGE.length + 1)).toMatch(DOCKER_TAG);
    }
  });
});
