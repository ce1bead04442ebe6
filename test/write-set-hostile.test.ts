/**
 * writeAll leaves every old file in place after a failure and writes only
 * the files it names. It follows no link at a temporary or backup name,
 * and a failed restore does not stop the others. A second run in the same
 * folder leaves the files of a run in progress alone.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { siblingName, writeAll, WriteSetError } from '../src/write-set';
import { writeFiles } from '../src/writer';
import { tempDir } from './helpers/cli';
import { thrown } from './helpers/errors';

const realRename = fs.renameSync;

afterEach(() => {
  fs.renameSync = realRename;
  syncBuiltinESMExports();
});

/** Replaces fs.renameSync with `replacement`, which gets the real one. */
function patchRename(
  replacement: (from: string, to: string, real: typeof realRename) => void,
): void {
  fs.renameSync = ((from: fs.PathLike, to: fs.PathLike) =>
    replacement(String(from), String(to), realRename)) as typeof fs.renameSync;
  syncBuiltinESMExports();
}

function eio(): Error {
  return Object.assign(new Error('i/o error'), { code: 'EIO' });
}

/** Creates a folder with old a.txt, b.txt and c.txt, and writes of new ones. */
function scene() {
  const dir = tempDir();
  const names = ['a.txt', 'b.txt', 'c.txt'];
  for (const name of names) {
    fs.writeFileSync(path.join(dir, name), `old ${name}\n`);
  }
  const writes = names.map((name) => ({
    target: path.join(dir, name),
    content: `new ${name}\n`,
  }));
  return { dir, writes };
}

function read(dir: string, name: string): string {
  return fs.readFileSync(path.join(dir, name), 'utf8');
}

/** Runs `action` and ignores any error, for checks of what it leaves. */
function attempt(action: () => void): void {
  try {
    action();
  } catch {
    // Only the files it leaves behind matter here.
  }
}

describe('writeAll with entries at its own names', () => {
  it('does not follow a link at a backup name', () => {
    const { writes } = scene();
    const outside = path.join(tempDir(), 'outside.txt');
    fs.writeFileSync(outside, 'outside\n');
    // A checkout may contain such a link. In a container, the pid that
    // the name carries is often the same on every run.
    fs.symlinkSync(outside, siblingName(writes[0].target, 'backup.'));
    writeAll(writes);
    expect(fs.readFileSync(outside, 'utf8')).toBe('outside\n');
  });

  it('does not follow a link at a temporary name', () => {
    const { dir, writes } = scene();
    const outside = path.join(tempDir(), 'outside.txt');
    fs.writeFileSync(outside, 'outside\n');
    fs.symlinkSync(outside, siblingName(writes[0].target, ''));
    attempt(() => writeAll(writes));
    expect(fs.readFileSync(outside, 'utf8')).toBe('outside\n');
    expect(fs.lstatSync(path.join(dir, 'a.txt')).isSymbolicLink()).toBe(false);
  });
});

describe('writeAll rollback', () => {
  it('restores the others when one restore fails', () => {
    const { dir, writes } = scene();
    let failedRestore = false;
    patchRename((from, to, real) => {
      if (to.endsWith('c.txt')) {
        throw eio();
      }
      // The first restore, of b.txt, fails once.
      if (from.includes('.backup.') && !failedRestore) {
        failedRestore = true;
        throw eio();
      }
      real(from, to);
    });
    const error = thrown(() => writeAll(writes));
    expect(error).toBeInstanceOf(WriteSetError);
    expect(read(dir, 'a.txt')).toBe('old a.txt\n');
    expect(read(dir, 'c.txt')).toBe('old c.txt\n');
  });

  it('keeps the old b.txt when its restore fails', () => {
    const { dir, writes } = scene();
    patchRename((from, to, real) => {
      if (to.endsWith('c.txt') || from.includes('.b.txt.backup.')) {
        throw eio();
      }
      real(from, to);
    });
    attempt(() => writeAll(writes));
    const texts = fs.readdirSync(dir).map((name) => read(dir, name));
    expect(texts).toContain('old b.txt\n');
  });
});

describe('writeFiles beside a run in progress', () => {
  it('leaves the other run able to put its files back', () => {
    const { dir, writes } = scene();
    let renames = 0;
    patchRename((from, to, real) => {
      if (++renames === 2) {
        // A second gen-ci run writes into the same folder now, as two
        // jobs of `make -j` could.
        writeFiles(dir, [{ path: 'other.txt', content: 'other\n' }]);
      }
      if (to.endsWith('c.txt')) {
        throw eio();
      }
      real(from, to);
    });
    const error = thrown(() => writeAll(writes));
    expect(error).toBeInstanceOf(WriteSetError);
    expect(read(dir, 'a.txt')).toBe('old a.txt\n');
    expect(read(dir, 'b.txt')).toBe('old b.txt\n');
  });
});
