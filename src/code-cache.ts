/**
 * V8's code cache for JavaScript that gen-ci runs from its own files: the
 * bundled command line and the compiled public schemas. With cache data,
 * V8 skips parsing the source and compiling the functions that the data
 * contains. Node.js 20 has no such cache of its own for these files
 * (`module.enableCompileCache` arrived in Node.js 22.1).
 *
 * A cache file starts with a JSON line that names the sha256 of the source
 * it was made for, so data for other source is never used. V8 11.3, in
 * Node.js 20, compares only the source length, so it would run stale code
 * for a file edited in place. V8 rejects data from another V8 version or
 * other V8 flags. Either way the source compiles as it would without a
 * cache.
 * NOTE: cache data is compiled code, as trusted as the JavaScript file
 * next to it, so gen-ci reads it only from its own package and cache
 * folders.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vm from 'node:vm';

export interface CachedScript {
  readonly script: vm.Script;
  /** Whether V8 used the cache data. */
  readonly cacheUsed: boolean;
}

interface CacheHeader {
  readonly sourceSha256: string;
}

const NEWLINE = 0x0a;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Returns the cache data for the source, or undefined when unusable. */
function readCacheData(
  cacheFile: string,
  sourceSha256: string,
): Buffer | undefined {
  let content: Buffer;
  try {
    content = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const end = content.indexOf(NEWLINE);
  try {
    const header = JSON.parse(content.subarray(0, end).toString('utf8'));
    if ((header as CacheHeader).sourceSha256 !== sourceSha256) {
      return undefined;
    }
  } catch {
    return undefined;
  }
  return content.subarray(end + 1);
}

/**
 * Compiles `source` with the cache data in `cacheFile`, when that file
 * exists and belongs to a source with hash `sourceSha256`.
 */
export function compileScript(
  source: string,
  filename: string,
  cacheFile: string,
  sourceSha256: string,
): CachedScript {
  const cachedData = readCacheData(cacheFile, sourceSha256);
  const script = new vm.Script(source, { filename, cachedData });
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  return { script, cacheUsed };
}

/**
 * Writes the cache data of `script` to `cacheFile`, by renaming a
 * temporary file so that readers never see part of it. Call it after the
 * code ran: the data then also contains the functions that the run
 * compiled.
 */
export function writeScriptCache(
  script: vm.Script,
  cacheFile: string,
  sourceSha256: string,
): void {
  const header: CacheHeader = { sourceSha256 };
  const data = script.createCachedData();
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(
      temporary,
      Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), data]),
    );
    fs.renameSync(temporary, cacheFile);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
