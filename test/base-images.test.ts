import { describe, expect, it } from 'vitest';
import { ARCHES } from '../src/arch/table';
import {
  checkBaseSupports,
  DEFAULT_BASE,
  findMissingPlatforms,
  OFFICIAL_IMAGE_PLATFORMS,
  perArchBase,
} from '../src/base-images';
import { UsageError } from '../src/errors';
import { parseImageReference } from '../src/image-ref';
import { archRecord } from './helpers/arch-record';

const ARM_V5 = archRecord('arm/v5', 'arm', 'arm32v5', 'v5');
const ARM_V6 = archRecord('arm/v6', 'arm', 'arm32v6', 'v6');
const ARM_V7 = archRecord('arm/v7', 'arm', 'arm32v7', 'v7');
const I386 = archRecord('386', '386', 'i386');
const LOONG64 = archRecord('loong64', 'loong64', undefined);
const MIPS64LE = archRecord('mips64le', 'mips64le', 'mips64le');
const PPC64LE = archRecord('ppc64le', 'ppc64le', 'ppc64le');

const CANONICAL_NAMES = [
  'amd64',
  '386',
  'arm/v5',
  'arm/v6',
  'arm/v7',
  'arm64',
  'ppc64le',
  's390x',
  'riscv64',
  'mips64le',
  'loong64',
];

const parse = (value: string) => parseImageReference(value, 'base');

function errorOf(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

describe('OFFICIAL_IMAGE_PLATFORMS', () => {
  it('covers the common official images', () => {
    for (const name of ['alpine', 'debian', 'ubuntu', 'busybox']) {
      expect(OFFICIAL_IMAGE_PLATFORMS[name]).toBeDefined();
    }
  });

  it('uses canonical architecture names only', () => {
    for (const platforms of Object.values(OFFICIAL_IMAGE_PLATFORMS)) {
      for (const name of platforms) {
        expect(CANONICAL_NAMES).toContain(name);
      }
    }
  });

  it('uses names from the architecture table', () => {
    const tableNames = ARCHES.map((arch) => arch.name);
    for (const platforms of Object.values(OFFICIAL_IMAGE_PLATFORMS)) {
      for (const name of platforms) {
        expect(tableNames).toContain(name);
      }
    }
  });

  it.each([
    ['alpine', 'arm/v6', true],
    ['alpine', 'arm/v5', false],
    ['debian', 'arm/v5', true],
    ['debian', 'arm/v6', false],
    ['debian', 'mips64le', false],
    ['ubuntu', '386', false],
    ['ubuntu', 'riscv64', true],
    ['busybox', 'arm/v5', true],
    ['busybox', 'loong64', false],
  ])('lists for %s %s: %s', (image, arch, published) => {
    expect(OFFICIAL_IMAGE_PLATFORMS[image].includes(arch)).toBe(published);
  });
});

describe('DEFAULT_BASE', () => {
  it('is a tagged official alpine', () => {
    expect(parse(DEFAULT_BASE)).toEqual({ path: 'alpine', tag: '3.22' });
  });
});

describe('checkBaseSupports', () => {
  it('passes official image with every architecture', () => {
    expect(() =>
      checkBaseSupports(parse('alpine:3.22'), [ARM_V6, ARM_V7, PPC64LE]),
    ).not.toThrow();
  });

  it('rejects alpine for arm/v5', () => {
    const error = errorOf(() =>
      checkBaseSupports(parse('alpine:3.22'), [ARM_V7, ARM_V5]),
    );
    expect(error.code).toBe('BASE_ARCH_MISSING');
    expect(error.message).toContain('arm/v5');
    expect(error.message).toContain('--base');
    expect(error.message).not.toContain('\n');
  });

  it('rejects ubuntu spelled with docker.io', () => {
    const base = parse('docker.io/library/ubuntu:24.04');
    expect(errorOf(() => checkBaseSupports(base, [I386])).code).toBe(
      'BASE_ARCH_MISSING',
    );
  });

  it('rejects debian for mips64le and loong64', () => {
    const error = errorOf(() =>
      checkBaseSupports(parse('debian:13'), [MIPS64LE, LOONG64]),
    );
    expect(error.code).toBe('BASE_ARCH_MISSING');
  });

  it('passes unknown official image', () => {
    expect(() =>
      checkBaseSupports(parse('golang:1.22'), [LOONG64]),
    ).not.toThrow();
  });

  it('passes non-official image named alpine', () => {
    expect(() =>
      checkBaseSupports(parse('ghcr.io/org/alpine:1'), [ARM_V5]),
    ).not.toThrow();
  });

  it('ignores object prototype names', () => {
    expect(
      findMissingPlatforms(parse('constructor'), [ARM_V5]),
    ).toBeUndefined();
  });

  it('lists missing and published architectures', () => {
    expect(findMissingPlatforms(parse('ubuntu'), [I386, ARM_V7])).toEqual({
      name: 'ubuntu',
      missing: ['386'],
      published: OFFICIAL_IMAGE_PLATFORMS.ubuntu,
    });
  });
});

describe('findMissingPlatforms with arch namespace', () => {
  it('reads arm64v8/ubuntu as ubuntu', () => {
    expect(findMissingPlatforms(parse('arm64v8/ubuntu'), [I386])).toEqual({
      name: 'ubuntu',
      missing: ['386'],
      published: OFFICIAL_IMAGE_PLATFORMS.ubuntu,
    });
  });
});

describe('perArchBase', () => {
  it('namespaces official image for arm/v7', () => {
    expect(perArchBase(parse('alpine:3.22'), ARM_V7)).toEqual({
      from: 'arm32v7/alpine:3.22',
    });
  });

  it('namespaces docker.io library spelling', () => {
    expect(perArchBase(parse('docker.io/library/alpine:3.22'), ARM_V6)).toEqual(
      { from: 'arm32v6/alpine:3.22' },
    );
  });

  it('namespaces untagged official image', () => {
    expect(perArchBase(parse('debian'), PPC64LE)).toEqual({
      from: 'ppc64le/debian',
    });
  });

  it('adds platform to other registries', () => {
    expect(perArchBase(parse('ghcr.io/org/base:1'), ARM_V7)).toEqual({
      from: 'ghcr.io/org/base:1',
      platformFlag: 'linux/arm/v7',
    });
  });

  it('adds platform when record has no namespace', () => {
    expect(perArchBase(parse('debian:13'), LOONG64)).toEqual({
      from: 'debian:13',
      platformFlag: 'linux/loong64',
    });
  });

  it('keeps digest-pinned official image with platform', () => {
    const value = `alpine:3.22@sha256:${'b'.repeat(64)}`;
    expect(perArchBase(parse(value), ARM_V7)).toEqual({
      from: value,
      platformFlag: 'linux/arm/v7',
    });
  });

  it('keeps scratch without platform', () => {
    expect(perArchBase(parse('scratch'), ARM_V7)).toEqual({ from: 'scratch' });
  });

  it('maps arch namespace to each architecture', () => {
    expect(perArchBase(parse('arm32v6/alpine:3.22'), ARM_V7)).toEqual({
      from: 'arm32v7/alpine:3.22',
    });
    expect(perArchBase(parse('arm64v8/alpine:3.22'), PPC64LE)).toEqual({
      from: 'ppc64le/alpine:3.22',
    });
    expect(perArchBase(parse('docker.io/amd64/alpine'), I386)).toEqual({
      from: 'i386/alpine',
    });
  });

  it('uses official name for arch without namespace', () => {
    expect(perArchBase(parse('arm64v8/debian:13'), LOONG64)).toEqual({
      from: 'debian:13',
      platformFlag: 'linux/loong64',
    });
  });

  it('keeps digest-pinned image of its own namespace', () => {
    const value = `arm32v7/alpine@sha256:${'c'.repeat(64)}`;
    expect(perArchBase(parse(value), ARM_V7)).toEqual({
      from: value,
      platformFlag: 'linux/arm/v7',
    });
  });

  it('rejects digest-pinned image of other namespace', () => {
    const value = `arm32v6/alpine@sha256:${'c'.repeat(64)}`;
    expect(() => perArchBase(parse(value), ARM_V7)).toThrow(
      expect.objectContaining({ code: 'BASE_INVALID' }),
    );
  });

  it('keeps non-arch two-part names', () => {
    expect(perArchBase(parse('example/arm64v8:1'), ARM_V7)).toEqual({
      from: 'example/arm64v8:1',
      platformFlag: 'linux/arm/v7',
    });
  });

  it.each(ARCHES.map((arch) => [arch.name, arch] as const))(
    'never mixes namespace and platform for %s',
    (_name, arch) => {
      for (const other of ARCHES) {
        if (other.hubNamespace === undefined) {
          continue;
        }
        const base = parse(`${other.hubNamespace}/busybox:1.37.0`);
        const { from } = perArchBase(base, arch);
        const expected =
          arch.hubNamespace === undefined
            ? 'busybox:1.37.0'
            : `${arch.hubNamespace}/busybox:1.37.0`;
        expect(from).toBe(expected);
      }
    },
  );

  it.each(ARCHES.map((arch) => [arch.name, arch] as const))(
    'uses one record for %s',
    (_name, arch) => {
      const base = perArchBase(parse('alpine:3.22'), arch);
      if (arch.hubNamespace === undefined) {
        expect(base.from).toBe('alpine:3.22');
        expect(base.platformFlag).toBe(`linux/${arch.name}`);
      } else {
        expect(base.from).toBe(`${arch.hubNamespace}/alpine:3.22`);
        expect(base.platformFlag).toBeUndefined();
      }
    },
  );
});
