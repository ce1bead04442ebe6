/**
 * Resolves user-written architecture names to records of the table, and
 * derives the Docker platform and QEMU names from a record.
 */
import { UsageError } from '../errors';
import { suggestNearest } from './suggest';
import { ARCHES } from './table';
import type { ArchRecord } from './types';

const CHOICES = ARCHES.map((arch) => arch.name).join(', ');

/** Spellings that name two different architectures, with the fix. */
const AMBIGUOUS: ReadonlyMap<string, string> = new Map([
  [
    'armhf',
    'Debian armhf is ARMv7 but Alpine and Raspbian armhf is ARMv6; write arm/v7 or arm/v6',
  ],
]);

/** Unsupported spellings where a nearest-name hint would mislead. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  [
    'mips64',
    'mips64 is big-endian MIPS, which gen-ci does not support; for little-endian MIPS write mips64le',
  ],
  [
    'ppc64',
    'ppc64 is big-endian POWER, which gen-ci does not support; for little-endian POWER write ppc64le',
  ],
  [
    'armv8l',
    'armv8l is what uname -m prints for 32-bit ARM code on an arm64 kernel; write arm/v7 or arm64',
  ],
]);

/** Map from every accepted spelling (name, slug, alias) to its record. */
const SPELLINGS: ReadonlyMap<string, ArchRecord> = indexSpellings(ARCHES);

function indexSpellings(
  arches: readonly ArchRecord[],
): Map<string, ArchRecord> {
  const index = new Map<string, ArchRecord>();
  for (const arch of arches) {
    for (const spelling of [arch.name, arch.slug, ...arch.aliases]) {
      const other = index.get(spelling);
      if (other !== undefined && other !== arch) {
        throw new Error(
          `bug in the architecture table: "${spelling}" names both ${other.name} and ${arch.name}`,
        );
      }
      index.set(spelling, arch);
    }
  }
  return index;
}

/**
 * Resolves one architecture name, case-insensitively and with an optional
 * `linux/` prefix. Throws a UsageError with code ARCH_EMPTY,
 * ARCH_AMBIGUOUS, ARCH_VARIANT or ARCH_UNKNOWN.
 */
export function resolveArch(input: string): ArchRecord {
  const normalised = input.trim().toLowerCase();
  const spelling = normalised.startsWith('linux/')
    ? normalised.slice('linux/'.length)
    : normalised;
  if (spelling === '') {
    throw new UsageError(
      'ARCH_EMPTY',
      `architecture ${JSON.stringify(input)} is empty; write one of ${CHOICES}`,
    );
  }
  return SPELLINGS.get(spelling) ?? resolveUnlisted(input, spelling);
}

/** Resolves a spelling missing from the index, or throws the reason. */
function resolveUnlisted(input: string, spelling: string): ArchRecord {
  const ambiguity = AMBIGUOUS.get(spelling);
  if (ambiguity !== undefined) {
    throw new UsageError(
      'ARCH_AMBIGUOUS',
      `ambiguous architecture ${JSON.stringify(input)}: ${ambiguity}`,
    );
  }
  const slash = spelling.indexOf('/');
  if (slash < 0) {
    throw unknownArch(input, spelling);
  }
  const head = spelling.slice(0, slash);
  const tail = spelling.slice(slash + 1);
  const base = SPELLINGS.get(head);
  if (base !== undefined) {
    return resolveVariant(input, base, head, tail);
  }
  if (AMBIGUOUS.has(head)) {
    return resolveUnlisted(input, head);
  }
  if (head !== 'linux' && findArch(tail) !== undefined) {
    throw new UsageError(
      'ARCH_UNKNOWN',
      `unsupported platform ${JSON.stringify(input)}: gen-ci builds only linux images; write linux/${tail}`,
    );
  }
  throw unknownArch(input, spelling);
}

/**
 * Resolves `<head>/<variant>` where `head` names `base`. The variant may
 * follow the OCI architecture (`arm/v6`) or a spelling of the same record
 * (`aarch64/v8`), but `armv7/v6` contradicts itself and is rejected.
 */
function resolveVariant(
  input: string,
  base: ArchRecord,
  head: string,
  variant: string,
): ArchRecord {
  const match = familyOf(base).find((arch) => arch.variant === variant);
  if (match === base || (match && head === base.architecture)) {
    return match;
  }
  throw new UsageError(
    'ARCH_VARIANT',
    `invalid platform ${JSON.stringify(input)}: ${variantProblem(base, head, variant)}`,
  );
}

/** Records that share the OCI architecture of `base`, such as all arm/v*. */
function familyOf(base: ArchRecord): ArchRecord[] {
  return ARCHES.filter((arch) => arch.architecture === base.architecture);
}

function variantProblem(
  base: ArchRecord,
  head: string,
  variant: string,
): string {
  const family = familyOf(base);
  const quoted = JSON.stringify(variant);
  if (family.every((arch) => arch.variant === undefined)) {
    return `gen-ci supports ${base.name} without a variant, not ${quoted}; write ${base.name}`;
  }
  const accepted = new Set<string>();
  for (const arch of family) {
    accepted.add(arch.name);
    accepted.add(`${arch.architecture}/${arch.variant}`);
  }
  const choices = [...accepted].join(', ');
  if (family.some((arch) => arch.variant === variant)) {
    return `${head} already means ${base.name}, not variant ${quoted}; write one of ${choices}`;
  }
  return `unknown variant ${quoted} for ${base.architecture}; write one of ${choices}`;
}

function unknownArch(input: string, spelling: string): UsageError {
  const quoted = JSON.stringify(input);
  const reason = UNSUPPORTED.get(spelling);
  if (reason !== undefined) {
    return new UsageError(
      'ARCH_UNKNOWN',
      `unsupported architecture ${quoted}: ${reason}`,
    );
  }
  const nearest = suggestNearest(spelling, [...SPELLINGS.keys()]);
  let hint = '';
  if (nearest !== undefined) {
    const name = SPELLINGS.get(nearest)?.name;
    const canonical = name === nearest ? '' : `, which is ${name}`;
    hint = ` (did you mean "${nearest}"${canonical}?)`;
  }
  return new UsageError(
    'ARCH_UNKNOWN',
    `unknown architecture ${quoted}${hint}; choose from ${CHOICES}`,
  );
}

/**
 * Resolves a repeatable option whose values may each be comma-separated.
 * Returns each architecture once, in table order, whatever order and
 * spelling the user wrote. A blank item raises ARCH_EMPTY.
 */
export function resolveArchList(values: readonly string[]): ArchRecord[] {
  const chosen = new Set<ArchRecord>();
  for (const value of values) {
    for (const item of splitList(value)) {
      chosen.add(resolveArch(item));
    }
  }
  return ARCHES.filter((arch) => chosen.has(arch));
}

function splitList(value: string): string[] {
  const items = value.split(',');
  const blank = items.findIndex((item) => item.trim() === '');
  if (blank >= 0) {
    throw new UsageError(
      'ARCH_EMPTY',
      `architecture list ${JSON.stringify(value)} has an empty item at position ${blank + 1}; separate names with single commas, such as amd64,arm64`,
    );
  }
  return items;
}

/** Resolves like resolveArch but returns undefined instead of throwing. */
export function findArch(name: string): ArchRecord | undefined {
  try {
    return resolveArch(name);
  } catch (error) {
    if (error instanceof UsageError) {
      return undefined;
    }
    throw error;
  }
}

/** Returns the Docker platform: `linux/arm/v7`, or `linux/arm64`. */
export function dockerPlatform(arch: ArchRecord): string {
  return `${arch.os}/${arch.name}`;
}

/** Returns the name of Debian's static QEMU binary: `qemu-arm-static`. */
export function qemuBinary(arch: ArchRecord): string {
  return `qemu-${arch.qemu}-static`;
}

/** Returns the binfmt_misc handler name that QEMU registers: `qemu-arm`. */
export function binfmtName(arch: ArchRecord): string {
  return `qemu-${arch.qemu}`;
}
