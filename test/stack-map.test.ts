/**
 * Stack traces of internal errors point into the files the minified
 * bundle was built from, through the bundle's source map.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapStack } from '../src/stack-map';
import { BIN, tempDir } from './helpers/cli';

/**
 * A preload that makes hashing a Dockerfile throw, which gen-ci does not
 * expect, so the run ends in its internal-error path.
 */
const FAILING_HASH = `
const crypto = require('node:crypto');
const createHash = crypto.createHash;
crypto.createHash = (...args) => {
  const hash = createHash(...args);
  const update = hash.update.bind(hash);
  hash.update = (data, ...rest) => {
    if (typeof data === 'string' && data.includes('FROM ')) {
      throw new Error('forced failure');
    }
    return update(data, ...rest);
  };
  return hash;
};
`;

describe('stack traces of internal errors', () => {
  it('name the original files of the bundle', () => {
    const dir = tempDir();
    const preload = path.join(dir, 'failing-hash.cjs');
    fs.writeFileSync(preload, FAILING_HASH);
    const args = ['--arch', 'arm64', '--image', 'example/app', '--out', dir];
    const result = spawnSync(
      process.execPath,
      ['--require', preload, BIN, ...args],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(result.status).toBe(70);
    expect(result.stderr).toContain('forced failure');
    expect(result.stderr).toMatch(/at \S+ \(dist\/body-hash\.js:\d+:\d+\)/);
    expect(result.stderr).not.toContain('cli.bundle.js');
  });

  it('stay as they are without a source map', () => {
    const bundle = path.join(tempDir(), 'cli.bundle.js');
    const stack = `Error: x\n    at f (${bundle}:1:2)`;
    expect(mapStack(stack, bundle)).toBe(stack);
  });
});
