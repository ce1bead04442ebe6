/**
 * What the end-to-end tests generate and what they expect back, shared by
 * the test files.
 */
import type { PlatformExpectation } from './published-image';

export const ARCHES = 'ppc64le,s390x,arm64,arm/v7';

/**
 * What each platform's image must be: its manifest list platform and the
 * `uname -m` of a Linux kernel (or QEMU) for it.
 */
export const EXPECTED: readonly PlatformExpectation[] = [
  { platform: 'linux/ppc64le', unameM: 'ppc64le' },
  { platform: 'linux/s390x', unameM: 's390x' },
  { platform: 'linux/arm64', unameM: 'aarch64' },
  { platform: 'linux/arm/v7', unameM: 'armv7l' },
];
