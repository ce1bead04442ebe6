/**
 * `gen-ci schemas update`: downloads the public CI schemas (SchemaStore's
 * travis.json and github-workflow.json, GitLab's ci.json) into the user
 * cache that `gen-ci validate` reads. A failed download changes nothing.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors';
import type { Logger } from '../log';
import {
  CACHE_DIR_HELP,
  cacheDirBlocker,
  defaultCacheDir,
} from '../validate/upstream/cache';
import { updateSchemas } from '../validate/upstream/update';

export const BASE_URL_ENV = 'GEN_CI_SCHEMA_BASE_URL';

const DEFAULT_TIMEOUT_SECONDS = 30;

export interface SchemasArgs {
  action: string;
  'cache-dir'?: string;
  'base-url'?: string;
  timeout: number;
}

export function schemasBuilder(yargs: Argv): Argv<SchemasArgs> {
  return yargs
    .positional('action', {
      type: 'string',
      choices: ['update'],
      description: 'update: download the public schemas into the cache',
    })
    .option('cache-dir', {
      type: 'string',
      requiresArg: true,
      description: `Schema cache folder; default: ${CACHE_DIR_HELP}`,
    })
    .option('base-url', {
      type: 'string',
      requiresArg: true,
      description: `Download <URL>/travis.json, <URL>/github-workflow.json and <URL>/gitlab-ci.json instead of the canonical addresses (a mirror); default: $${BASE_URL_ENV}`,
    })
    .option('timeout', {
      type: 'number',
      default: DEFAULT_TIMEOUT_SECONDS,
      description: 'Seconds to wait for each download',
    })
    .example('$0 schemas update', 'Download the schemas into the cache')
    .example(
      '$0 schemas update --base-url https://mirror.example/schemas',
      'Download from a mirror',
    ) as unknown as Argv<SchemasArgs>;
}

function baseUrl(args: SchemasArgs): string | undefined {
  const value = args['base-url'] ?? process.env[BASE_URL_ENV];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (!/^https?:\/\/[^/]/.test(value)) {
    throw new UsageError(
      'OPTION_INVALID',
      `--base-url ${JSON.stringify(value)} is not an http or https URL; pass one such as https://mirror.example/schemas`,
    );
  }
  return value;
}

/**
 * The longest --timeout: one day. Node.js's timers take at most 2^31 - 1
 * ms (about 24.8 days), and a larger value threw a RangeError that was
 * reported as a failed download.
 */
const MAX_TIMEOUT_SECONDS = 24 * 60 * 60;

function timeoutMs(args: SchemasArgs): number {
  const seconds = args.timeout;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(
      'OPTION_INVALID',
      `--timeout ${String(seconds)} is not a positive number of seconds; pass one such as --timeout 30`,
    );
  }
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      'OPTION_INVALID',
      `--timeout ${String(seconds)} is longer than one day; pass at most ${MAX_TIMEOUT_SECONDS} seconds`,
    );
  }
  return seconds * 1000;
}

/** Rejects a cache folder that cannot be created, before downloading. */
function checkedCacheDir(args: SchemasArgs): string {
  const folder = args['cache-dir'] ?? defaultCacheDir();
  const blocker = cacheDirBlocker(folder);
  if (blocker !== undefined) {
    throw new UsageError(
      'OUTPUT_UNWRITABLE',
      `schema cache folder ${folder} cannot be created: ${blocker} is a file, not a folder; remove it or pass --cache-dir with another folder`,
    );
  }
  return folder;
}

/** Turns a failed cache write (read-only disk, /proc) into exit 2. */
function describeWriteError(error: unknown, folder: string): unknown {
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof file !== 'string') {
    return error;
  }
  return new UsageError(
    'OUTPUT_UNWRITABLE',
    `cannot write the schema cache in ${folder}: ${code} on ${file}; check that path and its permissions, or pass --cache-dir with another folder`,
  );
}

export async function runSchemas(
  args: SchemasArgs,
  log: Logger,
): Promise<number> {
  const folder = checkedCacheDir(args);
  const options = {
    cacheDir: folder,
    baseUrl: baseUrl(args),
    timeoutMs: timeoutMs(args),
  };
  const results = await updateSchemas(options).catch((error: unknown) => {
    throw describeWriteError(error, folder);
  });
  for (const result of results) {
    const action = result.changed ? 'updated' : 'unchanged';
    log.info(
      `${action.padEnd(9)} ${result.schema.cacheName} (sha256 ${result.sha256.slice(0, 12)}) from ${result.url}`,
    );
  }
  log.info(`schemas saved in ${folder}`);
  return 0;
}
