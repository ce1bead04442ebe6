/**
 * Loads the bundled command line, `dist/cli.bundle.js`, with V8's code
 * cache (see code-cache.ts). Without it, each run would parse the bundle,
 * about 1 MB, and compile every function it calls. The build runs the
 * bundle once and stores the cache data next to it (scripts/bundle.js).
 */
import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as fs from 'node:fs';
import type * as vm from 'node:vm';
import { compileScript, sha256Hex, writeScriptCache } from './code-cache';

export interface LoadedBundle {
  /** `module.exports` of the bundle. */
  readonly exports: unknown;
  /** The compiled bundle, to produce cache data from after a run. */
  readonly script: vm.Script;
  readonly cacheUsed: boolean;
}

/** Returns the path of the cache file that belongs to `bundleFile`. */
export function codeCacheFile(bundleFile: string): string {
  return `${bundleFile}.cache`;
}

/**
 * Text around the bundle that makes it a CommonJS module function, the
 * way Node.js wraps a module. The build writes it into the bundle file.
 */
export const BUNDLE_WRAPPER = {
  start: '(function (exports, require, module, __filename, __dirname) {',
  end: '})',
} as const;

/**
 * Decodes the bundle. esbuild escapes non-ASCII characters, and ASCII
 * decodes fastest as Latin-1.
 */
function bundleSource(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/**
 * Runs the bundle as a CommonJS module and returns its exports. Its
 * `require` resolves from the bundle's folder, as Node.js's would.
 * NOTE: the script has no `importModuleDynamically` option, so `import()`
 * in the bundle would throw; scripts/bundle.js rejects a bundle with one.
 */
export function loadBundle(file: string): LoadedBundle {
  const bundleFile = path.resolve(file);
  const bytes = fs.readFileSync(bundleFile);
  const { script, cacheUsed } = compileScript(
    bundleSource(bytes),
    bundleFile,
    codeCacheFile(bundleFile),
    sha256Hex(bytes),
  );
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(
    module.exports,
    module.exports,
    createRequire(bundleFile),
    module,
    bundleFile,
    path.dirname(bundleFile),
  );
  return { exports: module.exports, script, cacheUsed };
}

/** Writes the cache data of a loaded bundle, after a run of it. */
export function writeBundleCache(file: string, loaded: LoadedBundle): void {
  const bundleFile = path.resolve(file);
  const hash = sha256Hex(fs.readFileSync(bundleFile));
  writeScriptCache(loaded.script, codeCacheFile(bundleFile), hash);
}
