/**
 * writeAll replaces a set of files or none: a failed write or rename puts
 * back every file of the set and leaves no temporary file behind.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAll, WriteSetError } from '../src/write-set';
import { listFiles, tempDir } from './helpers/cli';
import { thrown } from './helpers/errors';

const original = { renameSync: fs.renameSync, writeFileSync: fs.writeFileSync };

afterEach(() => {
  fs.renameSync = original.renameSync;
  fs.writeFileSync = original.writeFileSync;
  syncBuiltinESMExports();
});

/** Makes `fs[name]` fail with EPERM when the path it writes contains `part`. */
function failFor(name: 'renameSync' | 'writeFileSync', part: string): void {
  const real = original[name] as (...args: unknown[]) => unknown;
  (fs as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    const target = String(args[name === 'renameSync' ? 1 : 0]);
    if (target.includes(part)) {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    }
    return real(...args);
  };
  syncBuiltinESMExports();
}

/** Returns a folder with an old `a.txt`, and writes of a, b and c into it. */
function scene() {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.txt'), 'old a\n');
  const writes = ['a.txt', 'b.txt', 'c.txt'].map((name) => ({
    target: path.join(dir, name),
    content: `new ${name}\n`,
  }));
  return { dir, writes };
}

describe('writeAll', () => {
  it('writes every file and no temporary file', () => {
    const { dir, writes } = scene();
    writeAll(writes);
    expect(listFiles(dir)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('new a.txt\n');
  });

  it('puts back the set when a rename fails', () => {
    const { dir, writes } = scene();
    failFor('renameSync', 'c.txt');
    const error = thrown(() => writeAll(writes));
    expect(error).toBeInstanceOf(WriteSetError);
    expect((error as WriteSetError).target).toBe(path.join(dir, 'c.txt'));
    expect(listFiles(dir)).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('old a\n');
  });

  it('changes nothing when a temporary file fails', () => {
    const { dir, writes } = scene();
    failFor('writeFileSync', '.b.txt.');
    const error = thrown(() => writeAll(writes));
    expect((error as WriteSetError).target).toBe(path.join(dir, 'b.txt'));
    expect(listFiles(dir)).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('old a\n');
  });

  it('puts back a deleted file when a later step fails', () => {
    const { dir, writes } = scene();
    fs.writeFileSync(path.join(dir, 'd.txt'), 'old d\n');
    const deletion = { target: path.join(dir, 'd.txt'), content: undefined };
    failFor('renameSync', 'c.txt');
    thrown(() => writeAll([deletion, ...writes]));
    expect(fs.readFileSync(path.join(dir, 'd.txt'), 'utf8')).toBe('old d\n');
    expect(listFiles(dir)).toEqual(['a.txt', 'd.txt']);
  });

  it('deletes a file with the others', () => {
    const { dir, writes } = scene();
    fs.writeFileSync(path.join(dir, 'd.txt'), 'old d\n');
    writeAll([...writes, { target: path.join(dir, 'd.txt'), content: undefined }]);
    expect(listFiles(dir)).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });
});
