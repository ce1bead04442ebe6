import { describe, expect, it } from 'vitest';

import { UsageError } from '../src/errors';
import {
  binfmtName,
  dockerPlatform,
  findArch,
  qemuBinary,
  resolveArch,
  resolveArchList,
} from '../src/arch/resolve';
import {
  defaultMaxDistance,
  editDistance,
  suggestNearest,
} from '../src/arch/suggest';
import { ARCHES } from '../src/arch/table';
import type { ArchRecord } from '../src/arch/types';

/** Runs `action` and returns the UsageError it throws. */
function usageErrorOf(action: () => unknown): UsageError {
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

function byName(name: string): ArchRecord {
  const arch = ARCHES.find((record) => record.name === name);
  if (arch === undefined) {
    throw new Error(`no record named ${name} in the table`);
  }
  return arch;
}

function spellingsOf(arch: ArchRecord): string[] {
  return [arch.name, arch.slug, ...arch.aliases];
}

describe('architecture table', () => {
  it('lists records in the fixed order', () => {
    expect(ARCHES.map((arch) => arch.name)).toEqual([
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
    ]);
  });

  it('uses the expected slugs', () => {
    expect(ARCHES.map((arch) => arch.slug)).toEqual([
      'amd64',
      'i386',
      'armv5',
      'armv6',
      'armv7',
      'arm64',
      'ppc64le',
      's390x',
      'riscv64',
      'mips64le',
      'loong64',
    ]);
  });

  it('has slugs safe for tags and job names', () => {
    for (const arch of ARCHES) {
      expect(arch.slug, arch.name).toMatch(/^[a-z0-9]+$/);
      // A GitHub job id must start with a letter or an underscore.
      expect(arch.slug, arch.name).toMatch(/^[a-z]/);
    }
  });

  it('has unique slugs', () => {
    const slugs = ARCHES.map((arch) => arch.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it('maps no spelling to two records', () => {
    const owners = new Map<string, string>();
    for (const arch of ARCHES) {
      for (const spelling of new Set(spellingsOf(arch))) {
        expect(owners.get(spelling), spelling).toBeUndefined();
        owners.set(spelling, arch.name);
      }
    }
  });

  it('stores aliases in normalised form', () => {
    for (const arch of ARCHES) {
      for (const alias of arch.aliases) {
        expect(alias, arch.name).toBe(alias.trim().toLowerCase());
        expect(alias.startsWith('linux/'), alias).toBe(false);
        expect(alias, arch.name).not.toBe(arch.name);
        expect(alias, arch.name).not.toBe(arch.slug);
      }
    }
  });

  it('keeps the OCI fields consistent with the name', () => {
    for (const arch of ARCHES) {
      expect(arch.os).toBe('linux');
      const expected =
        arch.variant === undefined || arch.name === 'arm64'
          ? arch.architecture
          : `${arch.architecture}/${arch.variant}`;
      expect(arch.name).toBe(expected);
    }
  });

  it('records variant v8 for arm64 but not in the name', () => {
    const arm64 = byName('arm64');
    expect(arm64.variant).toBe('v8');
    expect(arm64.name).toBe('arm64');
    expect(dockerPlatform(arm64)).toBe('linux/arm64');
  });

  it('accepts the native uname for every record', () => {
    for (const arch of ARCHES) {
      expect(arch.unameAccepted, arch.name).toContain(arch.unameM);
    }
  });

  it('accepts uname values seen under emulation', () => {
    expect(byName('arm/v5').unameAccepted).toContain('armv7l');
    expect(byName('arm/v6').unameAccepted).toContain('armv7l');
    expect(byName('arm/v7').unameAccepted).toContain('armv8l');
    expect(byName('386').unameAccepted).toContain('x86_64');
    expect(byName('mips64le').unameAccepted).toEqual(['mips64']);
    expect(byName('loong64').unameAccepted).toEqual(['loongarch64']);
  });

  it('sets Travis arch only where Travis has one', () => {
    const withTravis = ARCHES.filter((arch) => arch.travisArch);
    expect(withTravis.map((arch) => arch.name)).toEqual([
      'amd64',
      'arm64',
      'ppc64le',
      's390x',
    ]);
    for (const arch of withTravis) {
      expect(arch.travisArch).toBe(arch.name);
    }
  });

  it('marks the architectures that run without QEMU', () => {
    const onAmd64 = ARCHES.filter((arch) => arch.runsOnAmd64);
    const onArm64 = ARCHES.filter((arch) => arch.runsOnArm64);
    expect(onAmd64.map((arch) => arch.name)).toEqual(['amd64', '386']);
    expect(onArm64.map((arch) => arch.name)).toEqual([
      'arm/v5',
      'arm/v6',
      'arm/v7',
      'arm64',
    ]);
  });

  it('sets GOARCH and GOARM', () => {
    const goenv = ARCHES.map((arch) =>
      arch.goarm ? `${arch.goarch}/${arch.goarm}` : arch.goarch,
    );
    expect(goenv).toEqual([
      'amd64',
      '386',
      'arm/5',
      'arm/6',
      'arm/7',
      'arm64',
      'ppc64le',
      's390x',
      'riscv64',
      'mips64le',
      'loong64',
    ]);
  });
});

describe('naming traps', () => {
  it('spells mips64le as mips64el for QEMU and Debian', () => {
    const arch = byName('mips64le');
    expect(arch.qemu).toBe('mips64el');
    expect(arch.debian).toBe('mips64el');
    expect(arch.binfmtInstall).toBe('mips64le');
    expect(arch.hubNamespace).toBe('mips64le');
    expect(arch.alpine).toBeUndefined();
    expect(qemuBinary(arch)).toBe('qemu-mips64el-static');
    expect(resolveArch('mips64el')).toBe(arch);
  });

  it('spells ppc64le as ppc64el in Debian', () => {
    const arch = byName('ppc64le');
    expect(arch.debian).toBe('ppc64el');
    expect(arch.alpine).toBe('ppc64le');
    expect(arch.qemu).toBe('ppc64le');
    expect(resolveArch('ppc64el')).toBe(arch);
  });

  it('spells loong64 as loongarch64 in QEMU and Alpine', () => {
    const arch = byName('loong64');
    expect(arch.qemu).toBe('loongarch64');
    expect(arch.alpine).toBe('loongarch64');
    expect(arch.unameM).toBe('loongarch64');
    expect(arch.debian).toBe('loong64');
    expect(arch.binfmtInstall).toBe('loong64');
    expect(arch.hubNamespace).toBeUndefined();
    expect(resolveArch('loongarch64')).toBe(arch);
  });

  it('gives armhf to Alpine v6 and Debian v7', () => {
    expect(byName('arm/v6').alpine).toBe('armhf');
    expect(byName('arm/v6').debian).toBeUndefined();
    expect(byName('arm/v7').debian).toBe('armhf');
    expect(byName('arm/v7').alpine).toBe('armv7');
    expect(usageErrorOf(() => resolveArch('armhf')).code).toBe(
      'ARCH_AMBIGUOUS',
    );
  });

  it('names every 32-bit ARM record correctly', () => {
    const v5 = byName('arm/v5');
    expect([v5.hubNamespace, v5.debian, v5.alpine]).toEqual([
      'arm32v5',
      'armel',
      undefined,
    ]);
    const v6 = byName('arm/v6');
    expect(v6.hubNamespace).toBe('arm32v6');
    const v7 = byName('arm/v7');
    expect(v7.hubNamespace).toBe('arm32v7');
    for (const arch of [v5, v6, v7]) {
      expect(arch.qemu).toBe('arm');
      expect(arch.binfmtInstall).toBe('arm');
    }
  });

  it('resolves plain arm to arm/v7', () => {
    expect(resolveArch('arm').name).toBe('arm/v7');
    expect(resolveArch('linux/arm').name).toBe('arm/v7');
  });
});

/** Every alias from other naming schemes, and the record it must name. */
const ALIAS_CASES: ReadonlyArray<readonly [string, string]> = [
  ['x86_64', 'amd64'],
  ['x86-64', 'amd64'],
  ['x64', 'amd64'],
  ['amd64', 'amd64'],
  ['i386', '386'],
  ['i686', '386'],
  ['x86', '386'],
  ['386', '386'],
  ['armel', 'arm/v5'],
  ['armv5', 'arm/v5'],
  ['armv5te', 'arm/v5'],
  ['armv5tel', 'arm/v5'],
  ['arm32v5', 'arm/v5'],
  ['arm/v5', 'arm/v5'],
  ['armv6', 'arm/v6'],
  ['armv6l', 'arm/v6'],
  ['arm32v6', 'arm/v6'],
  ['arm/v6', 'arm/v6'],
  ['arm', 'arm/v7'],
  ['armv7', 'arm/v7'],
  ['armv7l', 'arm/v7'],
  ['armv7hf', 'arm/v7'],
  ['arm32v7', 'arm/v7'],
  ['arm/v7', 'arm/v7'],
  ['arm64', 'arm64'],
  ['aarch64', 'arm64'],
  ['arm64/v8', 'arm64'],
  ['arm64v8', 'arm64'],
  ['armv8', 'arm64'],
  ['aarch64/v8', 'arm64'],
  ['ppc64le', 'ppc64le'],
  ['ppc64el', 'ppc64le'],
  ['powerpc64le', 'ppc64le'],
  ['s390x', 's390x'],
  ['riscv64', 'riscv64'],
  ['mips64le', 'mips64le'],
  ['mips64el', 'mips64le'],
  ['loong64', 'loong64'],
  ['loongarch64', 'loong64'],
];

describe('resolveArch', () => {
  it.each(ALIAS_CASES)('resolves %s', (input, name) => {
    expect(resolveArch(input).name).toBe(name);
    expect(resolveArch(`linux/${input}`).name).toBe(name);
    expect(resolveArch(`  ${input.toUpperCase()}\t`).name).toBe(name);
  });

  it('covers every table alias in the cases', () => {
    const covered = new Set(ALIAS_CASES.map(([input]) => input));
    for (const arch of ARCHES) {
      for (const spelling of spellingsOf(arch)) {
        expect(covered.has(spelling), spelling).toBe(true);
      }
    }
  });

  it('resolves every spelling of every record', () => {
    for (const arch of ARCHES) {
      for (const spelling of spellingsOf(arch)) {
        expect(resolveArch(spelling), spelling).toBe(arch);
        expect(resolveArch(`LINUX/${spelling}`), spelling).toBe(arch);
      }
    }
  });

  it('resolves Debian, Alpine and Hub names', () => {
    for (const arch of ARCHES) {
      const names = [arch.debian, arch.alpine, arch.hubNamespace];
      for (const name of names) {
        if (name === undefined || name === 'armhf') {
          continue;
        }
        expect(resolveArch(name), name).toBe(arch);
      }
    }
  });

  it('resolves the full Docker platform', () => {
    for (const arch of ARCHES) {
      expect(resolveArch(dockerPlatform(arch))).toBe(arch);
    }
    expect(resolveArch('linux/arm64/v8').name).toBe('arm64');
  });

  it('rejects empty input', () => {
    for (const input of ['', '   ', 'linux/', ' LINUX/ ']) {
      expect(usageErrorOf(() => resolveArch(input)).code, input).toBe(
        'ARCH_EMPTY',
      );
    }
  });

  it('rejects armhf as ambiguous', () => {
    for (const input of ['armhf', 'linux/armhf', 'ARMHF', 'armhf/v7']) {
      const error = usageErrorOf(() => resolveArch(input));
      expect(error.code, input).toBe('ARCH_AMBIGUOUS');
      expect(error.message).toContain('arm/v6');
      expect(error.message).toContain('arm/v7');
    }
  });

  it('rejects variants on variantless arches', () => {
    const inputs = ['s390x/v2', 'linux/s390x/v2', 'amd64/v3', 'x86_64/v2'];
    for (const input of inputs) {
      expect(usageErrorOf(() => resolveArch(input)).code, input).toBe(
        'ARCH_VARIANT',
      );
    }
  });

  it('rejects unknown variants', () => {
    const inputs = ['arm/v9', 'arm/v8', 'linux/arm/v4', 'arm64/v9', 'arm/'];
    for (const input of inputs) {
      expect(usageErrorOf(() => resolveArch(input)).code, input).toBe(
        'ARCH_VARIANT',
      );
    }
  });

  it('names the valid variants', () => {
    const message = usageErrorOf(() => resolveArch('arm/v9')).message;
    expect(message).toContain('arm/v5');
    expect(message).toContain('arm/v6');
    expect(message).toContain('arm/v7');
  });

  it('rejects contradictory variants', () => {
    for (const input of ['armv7/v6', 'arm32v6/v7', 'armel/v7']) {
      expect(usageErrorOf(() => resolveArch(input)).code, input).toBe(
        'ARCH_VARIANT',
      );
    }
  });

  it('rejects unknown names', () => {
    const inputs = ['sparc64', 'ppc65le', 'arm65', 'x86_65', 'linux/foo'];
    for (const input of inputs) {
      expect(usageErrorOf(() => resolveArch(input)).code, input).toBe(
        'ARCH_UNKNOWN',
      );
    }
  });

  it('suggests the nearest name', () => {
    const ppc = usageErrorOf(() => resolveArch('ppc65le'));
    expect(ppc.message).toContain('did you mean "ppc64le"');
    const aarch = usageErrorOf(() => resolveArch('aarch46'));
    expect(aarch.message).toContain('did you mean "aarch64"');
  });

  it('omits a suggestion when nothing is close', () => {
    const error = usageErrorOf(() => resolveArch('sparc64'));
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toContain('loong64');
  });

  it('rejects big-endian mips64 with a hint', () => {
    for (const input of ['mips64', 'linux/mips64']) {
      const error = usageErrorOf(() => resolveArch(input));
      expect(error.code, input).toBe('ARCH_UNKNOWN');
      expect(error.message).toContain('mips64le');
    }
  });

  it('rejects big-endian ppc64 with a hint', () => {
    const error = usageErrorOf(() => resolveArch('ppc64'));
    expect(error.code).toBe('ARCH_UNKNOWN');
    expect(error.message).toContain('ppc64le');
  });

  it('rejects armv8l as unknown', () => {
    expect(usageErrorOf(() => resolveArch('armv8l')).code).toBe(
      'ARCH_UNKNOWN',
    );
  });

  it('rejects operating systems other than linux', () => {
    const inputs = ['windows/amd64', 'darwin/arm64', 'freebsd/arm/v7'];
    for (const input of inputs) {
      const error = usageErrorOf(() => resolveArch(input));
      expect(error.code, input).toBe('ARCH_UNKNOWN');
      expect(error.message).toContain('linux');
    }
  });

  it('does not accept a prefix twice', () => {
    expect(usageErrorOf(() => resolveArch('linux/linux/amd64')).code).toBe(
      'ARCH_UNKNOWN',
    );
  });
});

describe('findArch', () => {
  it('returns the record for a known name', () => {
    expect(findArch('aarch64')).toBe(byName('arm64'));
    expect(findArch('linux/arm/v6')).toBe(byName('arm/v6'));
  });

  it('returns undefined instead of throwing', () => {
    for (const input of ['', 'armhf', 'arm/v9', 'mips64', 'windows/amd64']) {
      expect(findArch(input), input).toBeUndefined();
    }
  });
});

describe('resolveArchList', () => {
  const names = (arches: readonly ArchRecord[]): string[] =>
    arches.map((arch) => arch.name);

  it('splits comma-separated values', () => {
    const arches = resolveArchList(['amd64, arm64', 's390x']);
    expect(names(arches)).toEqual(['amd64', 'arm64', 's390x']);
  });

  it('sorts in table order', () => {
    const arches = resolveArchList(['loong64,s390x', 'arm/v7', 'amd64,386']);
    expect(names(arches)).toEqual([
      'amd64',
      '386',
      'arm/v7',
      's390x',
      'loong64',
    ]);
  });

  it('returns the same list for any input order', () => {
    const forward = resolveArchList(['amd64,arm64,ppc64le']);
    const backward = resolveArchList(['ppc64le', 'arm64', 'amd64']);
    expect(backward).toEqual(forward);
  });

  it('collapses spellings of one architecture', () => {
    const arches = resolveArchList([
      'arm64,aarch64',
      'linux/arm64/v8',
      'ppc64el,ppc64le',
      'arm,armv7l,arm/v7',
    ]);
    expect(names(arches)).toEqual(['arm/v7', 'arm64', 'ppc64le']);
  });

  it('returns an empty list for no values', () => {
    expect(resolveArchList([])).toEqual([]);
  });

  it('rejects blank items', () => {
    const inputs = [['amd64,,arm64'], ['amd64,'], [',amd64'], [''], [' , ']];
    for (const values of inputs) {
      expect(usageErrorOf(() => resolveArchList(values)).code).toBe(
        'ARCH_EMPTY',
      );
    }
  });

  it('passes item errors through', () => {
    expect(usageErrorOf(() => resolveArchList(['amd64,armhf'])).code).toBe(
      'ARCH_AMBIGUOUS',
    );
    expect(usageErrorOf(() => resolveArchList(['arm64', 'x'])).code).toBe(
      'ARCH_UNKNOWN',
    );
  });
});

/** Expected Docker platform, QEMU static binary and binfmt handler. */
const TOOL_NAMES: Readonly<Record<string, readonly [string, string, string]>> =
  {
    amd64: ['linux/amd64', 'qemu-x86_64-static', 'qemu-x86_64'],
    '386': ['linux/386', 'qemu-i386-static', 'qemu-i386'],
    'arm/v5': ['linux/arm/v5', 'qemu-arm-static', 'qemu-arm'],
    'arm/v6': ['linux/arm/v6', 'qemu-arm-static', 'qemu-arm'],
    'arm/v7': ['linux/arm/v7', 'qemu-arm-static', 'qemu-arm'],
    arm64: ['linux/arm64', 'qemu-aarch64-static', 'qemu-aarch64'],
    ppc64le: ['linux/ppc64le', 'qemu-ppc64le-static', 'qemu-ppc64le'],
    s390x: ['linux/s390x', 'qemu-s390x-static', 'qemu-s390x'],
    riscv64: ['linux/riscv64', 'qemu-riscv64-static', 'qemu-riscv64'],
    mips64le: ['linux/mips64le', 'qemu-mips64el-static', 'qemu-mips64el'],
    loong64: [
      'linux/loong64',
      'qemu-loongarch64-static',
      'qemu-loongarch64',
    ],
  };

describe('tool names', () => {
  it('covers every record', () => {
    expect(Object.keys(TOOL_NAMES).sort()).toEqual(
      ARCHES.map((arch) => arch.name).sort(),
    );
  });

  it.each(ARCHES.map((arch) => [arch.name, arch] as const))(
    'derives names for %s',
    (name, arch) => {
      const [platform, binary, handler] = TOOL_NAMES[name];
      expect(dockerPlatform(arch)).toBe(platform);
      expect(qemuBinary(arch)).toBe(binary);
      expect(binfmtName(arch)).toBe(handler);
    },
  );
});

describe('editDistance', () => {
  it('counts single edits', () => {
    expect(editDistance('ppc64le', 'ppc64le')).toBe(0);
    expect(editDistance('ppc65le', 'ppc64le')).toBe(1);
    expect(editDistance('ppc64l', 'ppc64le')).toBe(1);
    expect(editDistance('ppc64lee', 'ppc64le')).toBe(1);
  });

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('ppc46le', 'ppc64le')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('handles empty strings', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
  });

  it('is symmetric', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('sitting', 'kitten')).toBe(3);
  });
});

describe('suggestNearest', () => {
  const ciNames = ['travis', 'gitlab', 'github'];

  it('returns the nearest candidate', () => {
    expect(suggestNearest('gitlba', ciNames)).toBe('gitlab');
    expect(suggestNearest('travsi', ciNames)).toBe('travis');
  });

  it('returns undefined when nothing is close', () => {
    expect(suggestNearest('jenkins', ciNames)).toBeUndefined();
    expect(suggestNearest('x', ciNames)).toBeUndefined();
  });

  it('returns undefined for an exact match', () => {
    expect(suggestNearest('github', ciNames)).toBeUndefined();
  });

  it('returns undefined without candidates', () => {
    expect(suggestNearest('github', [])).toBeUndefined();
  });

  it('breaks ties by candidate order', () => {
    expect(suggestNearest('gitxab', ['gitlab', 'gitfab'])).toBe('gitlab');
    expect(suggestNearest('gitxab', ['gitfab', 'gitlab'])).toBe('gitfab');
  });

  it('honours an explicit limit', () => {
    expect(suggestNearest('gthb', ciNames, 1)).toBeUndefined();
    expect(suggestNearest('gthb', ciNames, 2)).toBe('github');
  });

  it('scales the default limit with length', () => {
    expect(defaultMaxDistance('')).toBe(1);
    expect(defaultMaxDistance('abc')).toBe(1);
    expect(defaultMaxDistance('ppc65le')).toBe(2);
  });
});
