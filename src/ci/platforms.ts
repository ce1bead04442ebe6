/**
 * What each CI offers for multi-architecture builds: its native runners and
 * which of them `--strategy auto` uses. Runner facts as of 2026-12:
 * - Travis CI runs arm64, ppc64le and s390x jobs in unprivileged LXD
 *   containers for open-source repositories only (a private repository's
 *   s390x job runs on amd64), so `auto` emulates everything there.
 * - GitLab.com hosts `saas-linux-small-arm64` runners on every tier.
 * - GitHub hosts `ubuntu-24.04-arm`, which also runs 32-bit ARM code.
 */
import type { ArchRecord } from '../arch/types';

export const CI_NAMES = ['travis', 'gitlab', 'github'] as const;
export type CiName = (typeof CI_NAMES)[number];

export interface CiPlatform {
  readonly name: CiName;
  readonly title: string;
  /** Runner label for jobs that run on amd64 (empty: the CI's default). */
  readonly amd64Runner: string;
  /** Runner label for a native job of this architecture, if one exists. */
  nativeRunner(arch: ArchRecord): string | undefined;
  /** Whether `--strategy auto` runs this architecture natively. */
  autoNative(arch: ArchRecord): boolean;
}

const TRAVIS: CiPlatform = {
  name: 'travis',
  title: 'Travis CI',
  amd64Runner: 'amd64',
  nativeRunner: (arch) => (arch.runsOnAmd64 ? 'amd64' : arch.travisArch),
  autoNative: () => false,
};

const GITLAB_ARM64_RUNNER = 'saas-linux-small-arm64';

const GITLAB: CiPlatform = {
  name: 'gitlab',
  title: 'GitLab CI',
  amd64Runner: '',
  nativeRunner: (arch) => (arch.name === 'arm64' ? GITLAB_ARM64_RUNNER : undefined),
  autoNative: (arch) => arch.name === 'arm64',
};

const GITHUB_ARM_RUNNER = 'ubuntu-24.04-arm';

const GITHUB: CiPlatform = {
  name: 'github',
  title: 'GitHub Actions',
  amd64Runner: 'ubuntu-24.04',
  nativeRunner: (arch) => (arch.runsOnArm64 ? GITHUB_ARM_RUNNER : undefined),
  autoNative: (arch) => arch.runsOnArm64,
};

export const CI_PLATFORMS: Readonly<Record<CiName, CiPlatform>> = {
  travis: TRAVIS,
  gitlab: GITLAB,
  github: GITHUB,
};
