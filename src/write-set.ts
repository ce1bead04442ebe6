/**
 * Replaces a set of files so that a failure leaves all of them as they
 * were. Each new content goes to a temporary file first. Only when every
 * temporary file is written are they renamed over their targets, and a
 * rename that fails puts back the files replaced before it, from hard
 * links (or copies) taken before the first rename.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PlannedWrite {
  /** Absolute path of the file to create or replace. */
  readonly target: string;
  readonly content: string;
}

/** A write that failed, with the target it was for. */
export class WriteSetError extends Error {
  constructor(
    readonly target: string,
    readonly cause: unknown,
  ) {
    super(`cannot write ${target}`);
  }
}

interface Staged {
  readonly target: string;
  readonly temporary: string;
  /** A second name for the old file, or undefined for a new file. */
  backup?: string;
}

/** Returns the name of a temporary file next to `target`. */
export function siblingName(target: string, role: string): string {
  const name = `.${path.basename(target)}.${role}${process.pid}.gen-ci-tmp`;
  return path.join(path.dirname(target), name);
}

function removeQuietly(file: string | undefined): void {
  if (file !== undefined) {
    fs.rmSync(file, { force: true });
  }
}

function stage(write: PlannedWrite, staged: Staged[]): void {
  const temporary = siblingName(write.target, '');
  try {
    fs.writeFileSync(temporary, write.content, { mode: 0o644 });
  } catch (error) {
    removeQuietly(temporary);
    throw new WriteSetError(write.target, error);
  }
  staged.push({ target: write.target, temporary });
}

/** Keeps a second name for each old file, so a failed set can go back. */
function keepBackup(entry: Staged): void {
  if (!fs.existsSync(entry.target)) {
    return;
  }
  const backup = siblingName(entry.target, 'backup.');
  try {
    fs.linkSync(entry.target, backup);
  } catch {
    fs.copyFileSync(entry.target, backup);
  }
  entry.backup = backup;
}

/** Puts back the old files of the entries already renamed. */
function rollBack(renamed: readonly Staged[]): void {
  for (const entry of [...renamed].reverse()) {
    if (entry.backup === undefined) {
      fs.rmSync(entry.target, { force: true });
    } else {
      fs.renameSync(entry.backup, entry.target);
      entry.backup = undefined;
    }
  }
}

function cleanUp(staged: readonly Staged[]): void {
  for (const entry of staged) {
    removeQuietly(entry.temporary);
    removeQuietly(entry.backup);
  }
}

/**
 * Writes every file of `writes` or none: throws a WriteSetError naming
 * the first target that failed, after putting back the others.
 */
export function writeAll(writes: readonly PlannedWrite[]): void {
  const staged: Staged[] = [];
  const renamed: Staged[] = [];
  try {
    writes.forEach((write) => stage(write, staged));
    staged.forEach((entry) => {
      try {
        keepBackup(entry);
      } catch (error) {
        throw new WriteSetError(entry.target, error);
      }
    });
    for (const entry of staged) {
      try {
        fs.renameSync(entry.temporary, entry.target);
      } catch (error) {
        throw new WriteSetError(entry.target, error);
      }
      renamed.push(entry);
    }
  } catch (error) {
    rollBack(renamed);
    throw error;
  } finally {
    cleanUp(staged);
  }
}
