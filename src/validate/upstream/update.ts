/**
 * `gen-ci schemas update`: downloads every public CI schema, checks that
 * each one parses and compiles, and only then replaces the cached copies
 * and their compiled code. One failed download leaves the whole cache as
 * it was, so validation never mixes schemas from two different updates.
 */
import * as path from 'node:path';
import { CheckFailure } from '../../errors';
import { sha256 } from '../schema-compile';
import {
  readSources,
  writeFileAtomically,
  writeSources,
  type SourceRecords,
} from './cache';
import { downloadUrl, UPSTREAM_SCHEMAS, type UpstreamSchema } from './catalog';
import { compileOrReject, compiledCodeFile } from './loader';

export interface UpdateOptions {
  readonly cacheDir: string;
  /** Replaces the canonical addresses: `<baseUrl>/<cache name>`. */
  readonly baseUrl?: string;
  readonly timeoutMs: number;
}

export interface UpdatedSchema {
  readonly schema: UpstreamSchema;
  readonly url: string;
  readonly sha256: string;
  /** False when the downloaded file equals the cached one. */
  readonly changed: boolean;
}

interface Download {
  readonly schema: UpstreamSchema;
  readonly url: string;
  readonly text?: string;
  readonly code?: string;
  readonly failure?: string;
}

/** Schemas are 100-400 KB; a response this large is not a schema. */
const MAX_BYTES = 16 * 1024 * 1024;

export async function updateSchemas(
  options: UpdateOptions,
): Promise<UpdatedSchema[]> {
  // 1. Download all schemas at once, then check each one.
  const downloads = await Promise.all(
    UPSTREAM_SCHEMAS.map((schema) => download(schema, options)),
  );
  const checked = downloads.map(checkDownload);
  // 2. Any failure leaves the cache untouched.
  const failures = checked.filter((entry) => entry.failure !== undefined);
  if (failures.length > 0) {
    throw new CheckFailure(
      'SCHEMA_DOWNLOAD_FAILED',
      `${failures.map((entry) => `${entry.schema.cacheName}: ${entry.failure}`).join('; ')}; the cache in ${options.cacheDir} was left unchanged`,
    );
  }
  // 3. Write the compiled code first: a schema never lacks its code.
  return writeAll(checked, options.cacheDir);
}

async function download(
  schema: UpstreamSchema,
  options: UpdateOptions,
): Promise<Download> {
  const url = downloadUrl(schema, options.baseUrl);
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) {
      return {
        schema,
        url,
        failure: `download from ${url} failed with HTTP ${response.status}`,
      };
    }
    const text = await response.text();
    if (text.length > MAX_BYTES) {
      return {
        schema,
        url,
        failure: `${url} sent more than ${MAX_BYTES} bytes`,
      };
    }
    return { schema, url, text };
  } catch (error) {
    return { schema, url, failure: describeFetchError(error, url, options) };
  }
}

function describeFetchError(
  error: unknown,
  url: string,
  options: UpdateOptions,
): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `download from ${url} timed out after ${options.timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } })
    .cause;
  const detail = cause?.code ?? cause?.message ?? String(error);
  return `download from ${url} failed (${detail})`;
}

function checkDownload(entry: Download): Download {
  if (entry.text === undefined) {
    return entry;
  }
  try {
    return {
      ...entry,
      code: compileOrReject(entry.schema, entry.text, entry.url),
    };
  } catch (error) {
    return { ...entry, failure: (error as Error).message };
  }
}

function writeAll(entries: Download[], cacheDir: string): UpdatedSchema[] {
  const sources: SourceRecords = readSources(cacheDir);
  const results: UpdatedSchema[] = [];
  for (const entry of entries) {
    const text = entry.text ?? '';
    const hash = sha256(text);
    const previous = sources[entry.schema.id]?.sha256;
    writeFileAtomically(
      compiledCodeFile(cacheDir, entry.schema, hash),
      entry.code ?? '',
    );
    writeFileAtomically(path.join(cacheDir, entry.schema.cacheName), text);
    sources[entry.schema.id] = {
      url: entry.url,
      sha256: hash,
      downloaded: new Date().toISOString(),
    };
    results.push({
      schema: entry.schema,
      url: entry.url,
      sha256: hash,
      changed: previous !== hash,
    });
  }
  writeSources(cacheDir, sources);
  return results;
}
