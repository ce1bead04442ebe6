/**
 * GitHub-hosted runner labels and the CPU of their machines, as listed in
 * GitHub's runner reference and the actions/runner-images README in
 * 2026-12. A job whose `runs-on` names no such label waits for a
 * self-hosted or larger runner with that name, and fails after a day
 * when none exists.
 * NOTE: GitHub adds and retires labels every few months; update both
 * tables then.
 */
export const HOSTED_LABELS: Readonly<Record<string, 'amd64' | 'arm64'>> = {
  'ubuntu-latest': 'amd64',
  'ubuntu-26.04': 'amd64',
  'ubuntu-24.04': 'amd64',
  'ubuntu-22.04': 'amd64',
  'ubuntu-slim': 'amd64',
  'ubuntu-26.04-arm': 'arm64',
  'ubuntu-24.04-arm': 'arm64',
  'ubuntu-22.04-arm': 'arm64',
  'windows-latest': 'amd64',
  'windows-2025': 'amd64',
  'windows-2022': 'amd64',
  'windows-11-arm': 'arm64',
  'macos-latest': 'arm64',
  'macos-26': 'arm64',
  'macos-15': 'arm64',
  'macos-14': 'arm64',
  'macos-26-intel': 'amd64',
  'macos-15-intel': 'amd64',
  'macos-latest-large': 'amd64',
  'macos-26-large': 'amd64',
  'macos-15-large': 'amd64',
  'macos-14-large': 'amd64',
  'macos-latest-xlarge': 'arm64',
  'macos-26-xlarge': 'arm64',
  'macos-15-xlarge': 'arm64',
  'macos-14-xlarge': 'arm64',
};

/** Labels GitHub offered once and has retired. */
export const RETIRED_LABELS: readonly string[] = [
  'ubuntu-16.04',
  'ubuntu-18.04',
  'ubuntu-20.04',
  'windows-2016',
  'windows-2019',
  'macos-10.15',
  'macos-11',
  'macos-12',
  'macos-12-large',
  'macos-13',
  'macos-13-large',
  'macos-13-xlarge',
];

/** Labels every self-hosted runner gets, used in `runs-on` arrays. */
export const SELF_HOSTED_LABELS: readonly string[] = [
  'self-hosted',
  'linux',
  'windows',
  'macos',
  'x64',
  'arm',
  'arm64',
];

/** Prefixes of GitHub-hosted labels; other labels name custom runners. */
export const HOSTED_PREFIX = /^(ubuntu|windows|macos)-/;

export function isHostedArm64Label(label: string): boolean {
  return HOSTED_LABELS[label] === 'arm64';
}

export function isHostedX64Label(label: string): boolean {
  return HOSTED_LABELS[label] === 'amd64';
}
