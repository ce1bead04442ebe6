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

export function writeFileAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
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
