/**
 * The starter Dockerfile that gen-ci writes when the user has none: the base
 * image for one architecture and a step that proves programs run there.
 */

import type { ArchRecord } from '../arch/types';
import {
  checkBaseSupports,
  DEFAULT_BASE,
  isScratch,
  perArchBase,
} from '../base-images';
import { UsageError } from '../errors';
import { formatImageReference } from '../image-ref';
import type { ImageRef } from '../image-ref';
import {
  argLines,
  copyQemuLine,
  fromArguments,
  headerLines,
  legacyBase,
  qemuStageLine,
  uniqueKeys,
} from './lines';
import type { LegacyQemu } from './lines';

export interface StarterInput {
  /** Base image of the starter Dockerfile. */
  readonly base: ImageRef;
  readonly arch: ArchRecord;
  /** Build argument names. The pipeline passes the values. */
  readonly buildArgs: readonly string[];
  /** Comment lines for the top of the file, without the leading `# `. */
  readonly header: readonly string[];
  readonly legacyQemu?: LegacyQemu;
}

const UNAME_FILE = '/gen-ci-uname-m.txt';

/**
 * Returns the starter Dockerfile for `input.arch`. Throws BASE_INVALID for
 * `scratch` or a base that legacy mode cannot use, and BASE_ARCH_MISSING
 * when the base does not publish the architecture.
 */
export function renderStarter(input: StarterInput): string {
  const lines = headerLines(input.header);
  if (lines.length > 0) {
    lines.push('');
  }
  if (input.legacyQemu !== undefined) {
    lines.push(qemuStageLine(input.legacyQemu, 'qemu'), '');
  }
  lines.push(starterFromLine(input));
  if (input.legacyQemu !== undefined) {
    lines.push(copyQemuLine(input.legacyQemu, 'qemu'));
  }
  lines.push(...argLines(uniqueKeys(input.buildArgs)));
  lines.push(
    '# Fails the build unless this architecture can run programs here.',
    `RUN uname -m | tee ${UNAME_FILE}`,
    `CMD ["cat", "${UNAME_FILE}"]`,
  );
  return `${lines.join('\n')}\n`;
}

function starterFromLine(input: StarterInput): string {
  const { base, arch } = input;
  if (isScratch(base)) {
    const message = `Invalid --base scratch: the starter Dockerfile runs a shell command, and scratch has no shell. Pass --base with a shell, such as ${DEFAULT_BASE}, or pass your own Dockerfile.`;
    throw new UsageError('BASE_INVALID', message);
  }
  checkBaseSupports(base, [arch]);
  if (input.legacyQemu !== undefined) {
    const subject = `--base ${formatImageReference(base)}`;
    return `FROM ${formatImageReference(legacyBase(base, arch, subject))}`;
  }
  return `FROM ${fromArguments(perArchBase(base, arch))}`;
}
