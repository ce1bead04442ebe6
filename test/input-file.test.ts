/**
 * readInputFile turns the operating system's read errors into usage
 * errors, and lets any other exception through as the bug it is.
 */
import fs from 'node:fs';
import * as path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { readInputFile } from '../src/input-file';
import { tempDir } from './helpers/cli';

const originalFstat = fs.fstatSync;

/** Makes fstatSync throw `error` for every caller, ESM importers too. */
function failFstat(error: Error): void {
  fs.fstatSync = (() => {
    throw error;
  }) as typeof fs.fstatSync;
  syncBuiltinESMExports();
}

afterEach(() => {
  fs.fstatSync = originalFstat;
  syncBuiltinESMExports();
});

function inputFile(): string {
  const file = path.join(tempDir(), 'gen-ci.yml');
  fs.writeFileSync(file, 'arch: [arm64]\n');
  return file;
}

describe('readInputFile errors', () => {
  it('reports a system error as unreadable', () => {
    const file = inputFile();
    failFstat(Object.assign(new Error('i/o error'), { errno: -5, code: 'EIO' }));
    let error: unknown;
    try {
      readInputFile(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('FILE_UNREADABLE');
    expect((error as UsageError).message).toContain('EIO');
  });

  it('lets other exceptions through', () => {
    const file = inputFile();
    const bug = new TypeError('not a function');
    failFstat(bug);
    expect(() => readInputFile(file)).toThrow(bug);
  });
});
