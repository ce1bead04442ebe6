/**
 * Base images: which architectures the well-known Docker Hub official images
 * publish, and how a base image is named in one architecture's Dockerfile.
 */

import { dockerPlatform } from './arch/resolve';
import { ARCHES } from './arch/table';
import type { ArchRecord } from './arch/types';
import { UsageError } from './errors';
import { formatImageReference, officialName } from './image-ref';
import type { ImageRef } from './image-ref';

const DOCKER_HUB_DOMAINS = new Set(['docker.io', 'index.docker.io']);

/** Base image of the starter Dockerfile when `--base` is not given. */
export const DEFAULT_BASE = 'alpine:3.22';

/**
 * Canonical gen-ci architecture names that each official image publishes,
 * from the `Architectures:` lines of docker-library/official-images
 * `library/<name>` for current tags. Older tags may publish fewer (alpine
 * 3.16 had no riscv64), so a pinned old tag can still fail to pull.
 *
 * NOTE: debian published mips64le until the official images dropped that
 * architecture in 2026. The exact date is unverified, and older debian tags
 * may still have a mips64le image.
 */
export const OFFICIAL_IMAGE_PLATFORMS: Readonly<
  Record<string, readonly string[]>
> = {
  alpine: [
    'amd64',
    '386',
    'arm/v6',
    'arm/v7',
    'arm64',
    'ppc64le',
    's390x',
    'riscv64',
  ],
  busybox: [
    'amd64',
    '386',
    'arm/v5',
    'arm/v6',
    'arm/v7',
    'arm64',
    'ppc64le',
    's390x',
    'riscv64',
  ],
  debian: [
    'amd64',
    '386',
    'arm/v5',
    'arm/v7',
    'arm64',
    'ppc64le',
    's390x',
    'riscv64',
  ],
  ubuntu: ['amd64', 'arm/v7', 'arm64', 'ppc64le', 's390x', 'riscv64'],
};

/** An official image from the table that lacks some requested architectures. */
export interface MissingPlatforms {
  /** Official image name without `library/`, e.g. `alpine`. */
  readonly name: string;
  /** Canonical names of the requested architectures it does not publish. */
  readonly missing: readonly string[];
  /** Canonical names of the architectures it publishes. */
  readonly published: readonly string[];
}

/** FROM line parts of a base image for one architecture. */
export interface PerArchBase {
  /** Image reference for FROM. */
  readonly from: string;
  /** Docker platform for `FROM --platform=`, when the name does not pin it. */
  readonly platformFlag?: string;
}

/**
 * Returns the architectures that `base` lacks when it is an official image
 * in OFFICIAL_IMAGE_PLATFORMS, or undefined when it has them all or is not
 * in the table (unknown images are assumed to have every architecture).
 */
export function findMissingPlatforms(
  base: ImageRef,
  arches: readonly ArchRecord[],
): MissingPlatforms | undefined {
  const name = officialBaseName(base);
  if (name === undefined || !Object.hasOwn(OFFICIAL_IMAGE_PLATFORMS, name)) {
    return undefined;
  }
  const published = OFFICIAL_IMAGE_PLATFORMS[name];
  const missing = arches
    .map((arch) => arch.name)
    .filter((archName) => !published.includes(archName));
  if (missing.length === 0) {
    return undefined;
  }
  return { name, missing, published };
}

/**
 * Throws a BASE_ARCH_MISSING UsageError when `base` is a known official
 * image that does not publish one of `arches`.
 */
export function checkBaseSupports(
  base: ImageRef,
  arches: readonly ArchRecord[],
): void {
  const gap = findMissingPlatforms(base, arches);
  if (gap === undefined) {
    return;
  }
  const missing = gap.missing.join(', ');
  const message =
    `Base image ${formatImageReference(base)} has no ${missing} image: ` +
    `Docker Hub's ${gap.name} publishes ${gap.published.join(', ')}. ` +
    `Pass --base with an image that has ${missing}, or drop ${missing} ` +
    'from the architectures.';
  throw new UsageError('BASE_ARCH_MISSING', message);
}

/**
 * Returns how one architecture's Dockerfile names `base`. An official image
 * gets the architecture's Docker Hub namespace (`alpine:3.22` becomes
 * `arm32v7/alpine:3.22`), and any other image keeps its name and gets a
 * `--platform` flag. Both spellings come from the same record. An image in
 * an architecture namespace (`arm32v6/alpine:3.22`) counts as its official
 * image, so every architecture gets its own namespace.
 *
 * A digest pins the multi-architecture index of `library/<name>`, which the
 * namespaced repository does not contain, so a digest-pinned official image
 * keeps its name and gets a `--platform` flag too. `scratch` has no
 * platform and stays as it is.
 *
 * Throws BASE_INVALID for a digest-pinned image in the namespace of another
 * architecture, because that digest names an image of the wrong platform.
 */
export function perArchBase(base: ImageRef, arch: ArchRecord): PerArchBase {
  if (isScratch(base)) {
    return { from: 'scratch' };
  }
  const namespaced = namespacedOfficialImage(base, arch);
  if (namespaced !== undefined) {
    return { from: formatImageReference(namespaced) };
  }
  checkDigestNamespace(base, arch);
  return {
    from: formatImageReference(toOfficialImage(base)),
    platformFlag: dockerPlatform(arch),
  };
}

/**
 * Returns the architecture record whose Docker Hub namespace `base` is in
 * (`arm64v8/alpine` is in arm64's), or undefined for any other image.
 */
export function findNamespaceArch(base: ImageRef): ArchRecord | undefined {
  if (base.domain !== undefined && !DOCKER_HUB_DOMAINS.has(base.domain)) {
    return undefined;
  }
  const components = base.path.split('/');
  if (components.length !== 2) {
    return undefined;
  }
  return ARCHES.find((arch) => arch.hubNamespace === components[0]);
}

/**
 * Returns the official image name of `base`, also for an image in an
 * architecture namespace (`alpine` for `arm32v6/alpine`).
 */
export function officialBaseName(base: ImageRef): string | undefined {
  if (findNamespaceArch(base) !== undefined) {
    return base.path.split('/')[1];
  }
  return officialName(base);
}

/**
 * Returns `base` moved out of an architecture namespace (`arm64v8/alpine`
 * becomes `alpine`). A digest-pinned image and any other image stay as
 * they are.
 */
function toOfficialImage(base: ImageRef): ImageRef {
  const name = officialBaseName(base);
  if (
    name === undefined ||
    base.digest !== undefined ||
    findNamespaceArch(base) === undefined
  ) {
    return base;
  }
  const ref: ImageRef = { path: name };
  if (base.tag !== undefined) {
    ref.tag = base.tag;
  }
  return ref;
}

function checkDigestNamespace(base: ImageRef, arch: ArchRecord): void {
  const owner = findNamespaceArch(base);
  if (
    base.digest === undefined ||
    owner === undefined ||
    owner.hubNamespace === arch.hubNamespace
  ) {
    return;
  }
  const message =
    `Base image ${formatImageReference(base)} is a ${owner.name} image ` +
    `pinned by digest, so it cannot be used for ${arch.name}. Pass the ` +
    `official image instead, e.g. ${officialBaseName(base)}:<tag>.`;
  throw new UsageError('BASE_INVALID', message);
}

/**
 * Returns the official image in the record's Docker Hub namespace, or
 * undefined when `base` is not official, has a digest, or the architecture
 * has no namespace (loong64).
 */
export function namespacedOfficialImage(
  base: ImageRef,
  arch: ArchRecord,
): ImageRef | undefined {
  const name = officialBaseName(base);
  if (
    name === undefined ||
    base.digest !== undefined ||
    arch.hubNamespace === undefined
  ) {
    return undefined;
  }
  const ref: ImageRef = { path: `${arch.hubNamespace}/${name}` };
  if (base.tag !== undefined) {
    ref.tag = base.tag;
  }
  return ref;
}

/** Reports whether `base` is `scratch`, Docker's reserved empty image. */
export function isScratch(base: ImageRef): boolean {
  return (
    base.domain === undefined &&
    base.path === 'scratch' &&
    base.tag === undefined &&
    base.digest === undefined
  );
}
