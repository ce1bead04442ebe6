/**
 * Travis CI's build environment values and the combinations it offers,
 * as of 2026-12; `arch` and `dist` also match travis-yml's schema
 * definitions.
 */
import { suggestNearest } from '../../arch/suggest';
import { findArch } from '../../arch/resolve';
import { includeEntries } from '../lint/jobs-travis';
import type { LintContext } from '../lint/types';
import { asList, type YamlObject } from '../lint/values';

export const TRAVIS_ARCHES = [
  'amd64',
  'arm64',
  'arm64-graviton2',
  'ppc64le',
  's390x',
] as const;

/** Spellings that travis-yml rewrites to a canonical `arch`, with a note. */
export const TRAVIS_ARCH_ALIASES: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  power: 'ppc64le',
  ppc: 'ppc64le',
  ppc64: 'ppc64le',
};

export const TRAVIS_DISTS = [
  'noble',
  'jammy',
  'focal',
  'bionic',
  'xenial',
  'trusty',
  'precise',
  // Windows and enterprise images.
  'server-2016',
  'rhel8',
] as const;

export const TRAVIS_VIRTS = ['lxd', 'vm'] as const;

/**
 * Image groups in use; `deprecated-<year>Q<n>` groups pinned old images.
 * NOTE: travis-yml types `group` as any string, so this list is not closed.
 */
export const TRAVIS_GROUPS = [
  'stable',
  'edge',
  'beta',
  'dev',
  'previous',
] as const;
export const DEPRECATED_GROUP = /^deprecated-\d{4}q[1-4]$/i;

/** Architectures that Travis CI runs only in LXD containers. */
export const LXD_ONLY_ARCHES = new Set(['arm64', 'ppc64le', 's390x']);

/** The only dists that `arm64-graviton2` offers. */
export const GRAVITON2_DISTS = new Set(['focal', 'bionic', 'xenial']);

export interface KeyValue {
  readonly value: unknown;
  readonly pointer: string;
}

/**
 * Returns every value of `key` in the file, at the root and in each
 * included job, one item at a time where the value is a list.
 */
export function valuesOf(context: LintContext, key: string): KeyValue[] {
  const places: { entry: YamlObject; pointer: string }[] = [
    { entry: context.root, pointer: '' },
    ...includeEntries(context.root),
  ];
  return places.flatMap(({ entry, pointer }) => {
    const value = entry[key];
    if (Array.isArray(value)) {
      return value.map((item, index) => ({
        value: item,
        pointer: `${pointer}/${key}/${index}`,
      }));
    }
    return value === undefined ? [] : [{ value, pointer: `${pointer}/${key}` }];
  });
}

/** Returns the first value of a key that may contain a list. */
export function firstValue(value: unknown): string | undefined {
  const first = asList(value)[0];
  return typeof first === 'string' ? first.toLowerCase() : undefined;
}

/** " (did you mean X?)" for the nearest known value, or "". */
export function hint(value: string, known: readonly string[]): string {
  const nearest = suggestNearest(value, known, 2);
  return nearest ? ` (did you mean ${nearest}?)` : '';
}

/** Returns the Travis arch for another spelling, such as `aarch64`. */
export function travisArchFor(value: string): string | undefined {
  return findArch(value)?.travisArch;
}
