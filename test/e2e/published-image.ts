/**
 * Checks the multi-platform image that a pipeline pushed: the manifest
 * list in the registry, the platform in each image's config, and what
 * `uname -m` prints inside each image when pulled from the registry.
 */
import { docker, listImages, removeImages } from './docker';
import type { E2eEnvironment } from './environment';
import { formatPlatform, getImagePlatform, getManifestList } from './registry';

export interface PlatformExpectation {
  /** `linux/arm/v7`, written as formatPlatform() writes it. */
  readonly platform: string;
  readonly unameM: string;
}

export interface PlatformReport {
  readonly platform: string;
  /** The platform fields as the manifest list records them. */
  readonly listed: string;
  readonly digest: string;
  /** `uname -m` in a container of the image, now. */
  readonly unameM: string;
  /** `uname -m` that the image's build step recorded. */
  readonly buildUnameM: string;
}

function sameList(actual: readonly string[], expected: readonly string[]) {
  const sorted = (list: readonly string[]) => [...list].sort().join(', ');
  return sorted(actual) === sorted(expected);
}

/**
 * Throws unless the manifest list at `repository:tag` contains exactly the
 * expected platforms, each image's config names its list platform, and
 * each image pulled from the registry prints the expected `uname -m`.
 */
export async function checkPublishedImage(
  env: E2eEnvironment,
  repository: string,
  tag: string,
  expected: readonly PlatformExpectation[],
): Promise<PlatformReport[]> {
  const image = `${env.registry}/${repository}`;
  const entries = await getManifestList(env.registry, repository, tag);
  const listed = entries.map((entry) => formatPlatform(entry.platform));
  const expectedPlatforms = expected.map((entry) => entry.platform);
  if (!sameList(listed, expectedPlatforms)) {
    throw new Error(
      `${image}:${tag} lists ${listed.join(', ')}, expected exactly ${expectedPlatforms.join(', ')}`,
    );
  }
  for (const entry of entries) {
    const config = await getImagePlatform(
      env.registry,
      repository,
      entry.digest,
    );
    const platform = formatPlatform(entry.platform);
    if (formatPlatform(config) !== platform) {
      throw new Error(
        `${image}@${entry.digest} is listed as ${platform}, but its config says ${formatPlatform(config)}`,
      );
    }
  }
  // Drop local copies, so that every image below comes from the registry.
  removeImages(env, listImages(env, image));
  return entries.map((entry) => {
    const platform = formatPlatform(entry.platform);
    const expectation = expected.find((item) => item.platform === platform);
    return runPlatform(env, `${image}@${entry.digest}`, entry, expectation);
  });
}

function runPlatform(
  env: E2eEnvironment,
  reference: string,
  entry: {
    digest: string;
    platform: { os: string; architecture: string; variant?: string };
  },
  expectation: PlatformExpectation | undefined,
): PlatformReport {
  const platform = formatPlatform(entry.platform);
  docker(env, ['pull', '--quiet', '--platform', platform, reference]);
  const run = (...command: string[]) =>
    docker(env, [
      'run',
      '--rm',
      '--network',
      'none',
      '--platform',
      platform,
      reference,
      ...command,
    ]).trim();
  const unameM = run('uname', '-m');
  const buildUnameM = run();
  if (expectation === undefined || unameM !== expectation.unameM) {
    throw new Error(
      `${reference} (${platform}): uname -m printed ${unameM}, expected ${expectation?.unameM}`,
    );
  }
  const { os, architecture, variant } = entry.platform;
  return {
    platform,
    listed: `os=${os} architecture=${architecture} variant=${variant ?? '(none)'}`,
    digest: entry.digest,
    unameM,
    buildUnameM,
  };
}
