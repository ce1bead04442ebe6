/**
 * Finds and reads the config file: `--config FILE`, or else `gen-ci.yml`,
 * `.gen-ci.yml` or the "gen-ci" key of `package.json` in the output
 * folder, which is the repository root.
 */
import * as path from 'node:path';
import { UsageError } from '../errors';
import { readInputFile } from '../input-file';
import { parseConfigText, type ConfigFile } from './parse';

export const CONFIG_FILE_NAMES = ['gen-ci.yml', '.gen-ci.yml'] as const;
export const PACKAGE_JSON_KEY = 'gen-ci';

/** Returns the path as messages show it: relative to the current folder. */
function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || path.basename(file);
}

/**
 * Reads a config file; undefined when a discovered file is missing. Only
 * regular files up to MAX_INPUT_BYTES are read (see readInputFile).
 */
function readText(file: string, flag: boolean): string | undefined {
  const input = readInputFile(file);
  if ('text' in input) {
    return input.text;
  }
  if (!flag) {
    return undefined;
  }
  throw new UsageError(
    'CONFIG_NOT_FOUND',
    `--config ${file} not found; pass an existing file`,
  );
}

function isPackageJson(file: string): boolean {
  return path.basename(file) === 'package.json';
}

/** Parses `file`; undefined for a package.json without a "gen-ci" key. */
function parseFile(file: string, text: string): ConfigFile | undefined {
  const absolute = path.resolve(file);
  const key = isPackageJson(file) ? PACKAGE_JSON_KEY : undefined;
  return parseConfigText(text, displayPath(absolute), path.dirname(absolute), {
    key,
  });
}

function readExplicit(file: string): ConfigFile {
  const text = readText(file, true) as string;
  const config = parseFile(file, text);
  if (!config) {
    throw new UsageError(
      'CONFIG_NOT_FOUND',
      `--config ${file} has no "${PACKAGE_JSON_KEY}" key; add one or pass a gen-ci.yml`,
    );
  }
  return config;
}

/**
 * Reads the gen-ci key of package.json. A package.json that does not parse
 * is reported only when it mentions gen-ci, because otherwise it is not
 * gen-ci's to check.
 */
function readPackageJson(dir: string): ConfigFile | undefined {
  const file = path.join(dir, 'package.json');
  const text = readText(file, false);
  if (text === undefined || !text.includes(`"${PACKAGE_JSON_KEY}"`)) {
    return undefined;
  }
  return parseFile(file, text);
}

function discover(dir: string): ConfigFile | undefined {
  const found: ConfigFile[] = [];
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(dir, name);
    const text = readText(file, false);
    const config = text === undefined ? undefined : parseFile(file, text);
    if (config) {
      found.push(config);
    }
  }
  const fromPackage = readPackageJson(dir);
  if (fromPackage) {
    found.push(fromPackage);
  }
  if (found.length > 1) {
    const names = found.map((config) => config.file).join(' and ');
    throw new UsageError(
      'CONFIG_INVALID',
      `${names} both configure gen-ci; keep one, or choose one with --config`,
    );
  }
  return found[0];
}

/**
 * Reads `explicit` when given, else the config file in `dir`, if any.
 * Throws a UsageError for a missing `--config` file, two config files in
 * one folder, and any problem inside the file.
 */
export function loadConfigFile(
  explicit: string | undefined,
  dir: string,
): ConfigFile | undefined {
  return explicit === undefined ? discover(dir) : readExplicit(explicit);
}
