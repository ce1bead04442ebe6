/**
 * Replaces and deletes a set of files so that a failure leaves all of them
 * as they were. Each new content goes to a temporary file first. Only when
 * every temporary file is written are they renamed over their targets and
 * the deletions done, and a step that fails puts back the files replaced
 * or deleted before it, from hard links (or copies) taken beforehand.
 *
 * Temporary files and backups get new names that carry the process id
 * and a random number, and are created exclusively, so an entry already
 * at such a name (a link planted in a checkout, say) is never followed.
 */
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PlannedWrite {
  /** Absolute path of the file to create, replace or delete. */
  readonly target: string;
  /** The new text, or undefined to delete the file. */
  readonly content: string | undefined;
}

/** A write that failed, with the target it was for. */
export class WriteSetError extends Error {
  constructor(
    readonly target: string,
    readonly cause: unknown,
    /** Backups whose old text could not be put back, left in place. */
    readonly unrestoredBackups: readonly string[] = [],
  ) {
    super(`cannot write ${target}`);
  }
}

interface Staged {
  readonly target: string;
  /** The new text's file, or undefined for a deletion. */
  readonly temporary?: string;
  /** A second name for the old file, or undefined for a new file. */
  backup?: string;
}

/**
 * Names of the files this module creates, `.<file>.<role><pid>-<n>.gen-ci-tmp`,
 * and of those that earlier versions created, `.<file>.<pid>.gen-ci-tmp`.
 * The first group is the process id.
 */
const SIBLING_NAMES = [
  /^\..+\.(\d+)-\d+\.gen-ci-tmp$/,
  /^\..+\.(\d+)\.gen-ci-tmp$/,
];

/** Returns a new name for a temporary file next to `target`. */
export function siblingName(target: string, role: string): string {
  const unique = `${process.pid}-${randomInt(1e9)}`;
  const name = `.${path.basename(target)}.${role}${unique}.gen-ci-tmp`;
  return path.join(path.dirname(target), name);
}

function removeQuietly(file: string | undefined): void {
  if (file !== undefined) {
    fs.rmSync(file, { force: true });
  }
}

function stage(write: PlannedWrite, staged: Staged[]): void {
  if (write.content === undefined) {
    staged.push({ target: write.target });
    return;
  }
  const temporary = siblingName(write.target, '');
  try {
    // 'wx' fails on any entry at the name instead of following it.
    fs.writeFileSync(temporary, write.content, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      removeQuietly(temporary);
    }
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
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw error;
    }
    // Some file systems have no hard links; a copy does the same here.
    fs.copyFileSync(entry.target, backup, fs.constants.COPYFILE_EXCL);
  }
  entry.backup = backup;
}

/**
 * Puts back the old files of the entries already renamed, going on past
 * a failure. Returns the backups that could not be put back, which stay.
 */
function rollBack(renamed: readonly Staged[]): string[] {
  const unrestored: string[] = [];
  for (const entry of [...renamed].reverse()) {
    try {
      if (entry.backup === undefined) {
        fs.rmSync(entry.target, { force: true });
      } else {
        fs.renameSync(entry.backup, entry.target);
        entry.backup = undefined;
      }
    } catch {
      if (entry.backup !== undefined) {
        unrestored.push(entry.backup);
        entry.backup = undefined;
      }
    }
  }
  return unrestored;
}

function cleanUp(staged: readonly Staged[]): void {
  for (const entry of staged) {
    removeQuietly(entry.temporary);
    removeQuietly(entry.backup);
  }
}

function commit(staged: readonly Staged[], renamed: Staged[]): void {
  for (const entry of staged) {
    try {
      keepBackup(entry);
    } catch (error) {
      throw new WriteSetError(entry.target, error);
    }
  }
  for (const entry of staged) {
    try {
      if (entry.temporary === undefined) {
        fs.rmSync(entry.target);
      } else {
        fs.renameSync(entry.temporary, entry.target);
      }
    } catch (error) {
      throw new WriteSetError(entry.target, error);
    }
    renamed.push(entry);
  }
}

/**
 * Writes and deletes every file of `writes` or none: throws a
 * WriteSetError naming the first target that failed, after putting back
 * the others.
 */
export function writeAll(writes: readonly PlannedWrite[]): void {
  const staged: Staged[] = [];
  const renamed: Staged[] = [];
  try {
    writes.forEach((write) => stage(write, staged));
    commit(staged, renamed);
  } catch (error) {
    const unrestored = rollBack(renamed);
    if (error instanceof WriteSetError && unrestored.length > 0) {
      throw new WriteSetError(error.target, error.cause, unrestored);
    }
    throw error;
  } finally {
    cleanUp(staged);
  }
}

/** Tells whether the process `pid` exists; EPERM means it runs as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Tells whether `name` is a temporary file or backup that a run no longer
 * running left behind. Entries of a run that is still going stay.
 */
export function isStaleSibling(name: string): boolean {
  for (const pattern of SIBLING_NAMES) {
    const match = pattern.exec(name);
    if (match !== null) {
      return !isRunning(Number(match[1]));
    }
  }
  return false;
}
