import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generate } from '../src/generate';

/**
 * Docker Hub publishes each architecture namespace (`ppc64le/alpine`,
 * `arm32v7/alpine`, ...) as a manifest list whose only image is that
 * architecture. The legacy builder (`DOCKER_BUILDKIT=0`) pulls a FROM image
 * for the daemon's platform unless a platform is requested. On an amd64
 * worker `FROM ppc64le/alpine` therefore fails with "no matching manifest
 * for linux/amd64 in the manifest list entries" (reproduced with Docker
 * 20.10.24 and a loopback registry that serves such a list). Requesting the
 * platform with `FROM --platform=`, `docker build --platform` or a
 * `docker pull --platform` of the base before the build avoids it.
 */

interface TravisJob {
  stage: string;
  name: string;
  before_install?: string[];
  before_script?: string[];
  script: string[];
}

interface Case {
  readonly arch: string;
  readonly slug: string;
  readonly platform: string;
  readonly base: string;
}

const CASES: readonly Case[] = [
  {
    arch: 'ppc64le',
    slug: 'ppc64le',
    platform: 'linux/ppc64le',
    base: 'ppc64le/alpine:3.22',
  },
  {
    arch: 'arm/v7',
    slug: 'armv7',
    platform: 'linux/arm/v7',
    base: 'arm32v7/alpine:3.22',
  },
  {
    arch: '386',
    slug: 'i386',
    platform: 'linux/386',
    base: 'i386/alpine:3.22',
  },
];

function legacyFiles(): Map<string, string> {
  const files = generate({
    arch: CASES.map((entry) => entry.arch),
    ci: ['travis'],
    strategy: 'legacy',
    base: 'alpine:3.22',
    image: 'example/app',
  });
  return new Map(files.map((file) => [file.path, file.content]));
}

function jobCommands(job: TravisJob): string[] {
  return [
    ...(job.before_install ?? []),
    ...(job.before_script ?? []),
    ...job.script,
  ];
}

function fromLines(dockerfile: string, base: string): string[] {
  return dockerfile
    .split('\n')
    .filter((line) => /^FROM\s/i.test(line) && line.includes(base));
}

describe('travis legacy base image platform', () => {
  const files = legacyFiles();
  const travis = parse(files.get('.travis.yml') ?? '') as {
    jobs: { include: TravisJob[] };
  };

  it.each(CASES)('$arch resolves its namespaced base', (entry) => {
    const dockerfile = files.get(`Dockerfile.${entry.slug}`) ?? '';
    const baseFroms = fromLines(dockerfile, entry.base);
    expect(baseFroms).toHaveLength(1);

    const job = travis.jobs.include.find(
      (candidate) =>
        candidate.stage === 'build' && candidate.name === `build ${entry.arch}`,
    );
    expect(job).toBeDefined();
    const commands = jobCommands(job as TravisJob);

    const fromPinned = baseFroms[0].includes(`--platform=${entry.platform}`);
    const buildPinned = commands.some(
      (line) =>
        line.includes('docker build') &&
        line.includes(`--platform ${entry.platform}`),
    );
    const pulled = commands.some(
      (line) =>
        line.includes('docker pull') &&
        line.includes(`--platform ${entry.platform}`) &&
        line.includes(entry.base),
    );
    expect(
      fromPinned || buildPinned || pulled,
      `${baseFroms[0]} is pulled for the worker's amd64 platform`,
    ).toBe(true);
  });
});
