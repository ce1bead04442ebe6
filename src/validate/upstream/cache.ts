/**
 * The user cache of public CI schemas: `$GEN_CI_SCHEMA_CACHE`, else
 * `$XDG_CACHE_HOME/gen-ci/schemas`, else `~/.cache/gen-ci/schemas`. It
 * contains the downloaded schemas under their cache names, `sources.json`
 * (where and when each was downloaded) and `compiled/`, the standalone
 * validator code of every schema compiled so far, named by the schema's
 * sha256 and the ajv version. Every write goes to a temporary file that
 * is then renamed, so readers see old or new files, never partial ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CACHE_ENV = 'GEN_CI_SCHEMA_CACHE';

/** The rule for the default cache folder, for help texts. */
export const CACHE_DIR_HELP =
  '$GEN_CI_SCHEMA_CACHE, else $XDG_CACHE_HOME/gen-ci/schemas, else ~/.cache/gen-ci/schemas';

export interface SourceRecord {
  readonly url: string;
  readonly sha256: string;
  /** ISO 8601 time of the download. */
  readonly downloaded: string;
}

export type SourceRecords = Record<string, SourceRecord>;

const SOURCES_FILE = 'sources.json';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[CACHE_ENV];
  if (override) {
    return path.resolve(override);
  }
  const xdg = env.XDG_CACHE_HOME;
  const base =
    xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'gen-ci', 'schemas');
}

export function compiledDir(cacheDir: string): string {
  return path.join(cacheDir, 'compiled');
}

/**
 * Creates `dir` and its missing parents one level at a time, because
 * Node 20's recursive mkdir loops for ever when mkdir fails with ENOENT
 * under an existing parent (any new path under /proc). A failure throws
 * mkdir's error, which names the folder.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current) && path.dirname(current) !== current) {
    missing.unshift(current);
    current = path.dirname(current);
  }
  for (const folder of missing) {
    fs.mkdirSync(folder);
  }
}

export function writeFileAtomically(file: string, content: string): void {
  makeFolders(path.dirname(file));
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.tmp`,
  );
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

export function readSources(cacheDir: string): SourceRecords {
  try {
    const text = fs.readFileSync(path.join(cacheDir, SOURCES_FILE), 'utf8');
    return JSON.parse(text) as SourceRecords;
  } catch {
    return {};
  }
}

export function writeSources(cacheDir: string, records: SourceRecords): void {
  const text = `${JSON.stringify(records, null, 2)}\n`;
  writeFileAtomically(path.join(cacheDir, SOURCES_FILE), text);
}

/**
 * Finds the file that keeps the cache folder from being created: the
 * nearest existing path on the way to it, when that is not a folder.
 * Returns undefined when the folder exists or can be created.
 */
export function cacheDirBlocker(cacheDir: string): string | undefined {
  let current = path.resolve(cacheDir);
  for (;;) {
    const stat = statOrUndefined(current);
    if (stat) {
      return stat.isDirectory() ? undefined : current;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return undefined;
    }
    current = parent;
  }
}

/** Returns undefined for a missing path and for one below a file. */
function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return undefined;
    }
    throw error;
  }
}
