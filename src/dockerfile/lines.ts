/**
 * Dockerfile lines that gen-ci writes, shared by the starter Dockerfile and
 * the rewrite of a user's Dockerfile.
 */

import type { ArchRecord } from '../arch/types';
import { DEFAULT_BASE, namespacedOfficialImage } from '../base-images';
import type { PerArchBase } from '../base-images';
import { UsageError } from '../errors';
import type { ImageRef } from '../image-ref';

/**
 * A QEMU user-mode emulator that the legacy strategy copies into the image,
 * for kernels whose binfmt_misc handler lacks the F (fix binary) flag and so
 * looks up the emulator inside the container.
 */
export interface LegacyQemu {
  /** Image that contains the binary: `multiarch/qemu-user-static:<tag>`. */
  readonly image: string;
  /** File name under /usr/bin, e.g. `qemu-ppc64le-static`. */
  readonly binary: string;
}

/**
 * Returns the namespaced official image for a legacy Dockerfile, which
 * cannot use --platform. Throws BASE_INVALID, starting with `subject`,
 * when there is none.
 */
export function legacyBase(
  ref: ImageRef,
  arch: ArchRecord,
  subject: string,
): ImageRef {
  const namespaced = namespacedOfficialImage(ref, arch);
  if (namespaced !== undefined) {
    return namespaced;
  }
  const reason =
    arch.hubNamespace === undefined
      ? `Docker Hub has no official images for ${arch.name}`
      : `legacy Dockerfiles have no --platform flag, so the image must be a Docker Hub official image with a tag and no digest, such as ${DEFAULT_BASE}`;
  const message = `${subject} cannot be used with --strategy legacy: ${reason}. Use such an image or drop --strategy legacy.`;
  throw new UsageError('BASE_INVALID', message);
}

/** Returns the FROM arguments: `[--platform=<platform> ]<image>`. */
export function fromArguments(base: PerArchBase): string {
  if (base.platformFlag === undefined) {
    return base.from;
  }
  return `--platform=${base.platformFlag} ${base.from}`;
}

/** Returns the FROM line of the stage that contains the emulator. */
export function qemuStageLine(legacyQemu: LegacyQemu, stage: string): string {
  return `FROM ${legacyQemu.image} AS ${stage}`;
}

/** Returns the COPY line that puts the emulator at the same path. */
export function copyQemuLine(legacyQemu: LegacyQemu, stage: string): string {
  const path = `/usr/bin/${legacyQemu.binary}`;
  return `COPY --from=${stage} ${path} ${path}`;
}

export function argLines(keys: readonly string[]): string[] {
  return keys.map((key) => `ARG ${key}`);
}

export function uniqueKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/** Returns `# `-prefixed lines, one per line of each entry. */
export function headerLines(header: readonly string[]): string[] {
  return header
    .flatMap((entry) => entry.split(/\r\n|\r|\n/))
    .map((line) => (line === '' ? '#' : `# ${line}`));
}
