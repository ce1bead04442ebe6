/**
 * Layers the option values: a flag wins over the config file, which wins
 * over the option's default. The result has the shape of yargs' arguments
 * (kebab-case keys and their camelCase copies), so a command reads config
 * file values exactly as it reads flags.
 */
import * as path from 'node:path';
import { UsageError } from '../errors';
import type { OptionSpec } from '../options';
import { camelCase, CONFIG_OPTIONS, isPathOption } from './keys';
import type { ConfigFile, ConfigValue } from './parse';

export interface LayeredArgs<Args> {
  readonly args: Args;
  readonly file?: ConfigFile;
  /** Options whose value came from the file, not from a flag. */
  readonly fromFile: ReadonlySet<string>;
}

/** Resolves a path in the file against the file's folder. */
function fileValue(
  spec: OptionSpec,
  value: ConfigValue,
  file: ConfigFile,
): ConfigValue {
  if (!isPathOption(spec) || typeof value !== 'string') {
    return value;
  }
  const absolute = path.resolve(file.dir, value);
  return path.relative(process.cwd(), absolute) || '.';
}

/**
 * Returns `flags` with every option of CONFIG_OPTIONS filled in from
 * `file`, then from the option's default.
 */
export function layerArgs<Args extends object>(
  flags: Args,
  file: ConfigFile | undefined,
  specs: Readonly<Record<string, OptionSpec>> = CONFIG_OPTIONS,
): LayeredArgs<Args> {
  const args = { ...flags } as Record<string, unknown>;
  const fromFile = new Set<string>();
  for (const [name, spec] of Object.entries(specs)) {
    let value = args[name];
    if (value === undefined && file && file.values[name] !== undefined) {
      value = fileValue(spec, file.values[name], file);
      fromFile.add(name);
    }
    value ??= spec.default;
    if (value !== undefined) {
      args[name] = value;
      args[camelCase(name)] = value;
    }
  }
  return { args: args as Args, file, fromFile };
}

/** Finds the file's string that the message quotes first, if any. */
function quotedLeaf(message: string, layered: LayeredArgs<object>) {
  let best: { location: string; index: number } | undefined;
  for (const leaf of layered.file?.leaves ?? []) {
    if (!layered.fromFile.has(leaf.option) || leaf.text === '') {
      continue;
    }
    const index = message.indexOf(JSON.stringify(leaf.text));
    if (index >= 0 && (best === undefined || index < best.index)) {
      best = { location: leaf.location, index };
    }
  }
  return best;
}

/**
 * Adds the position of the offending value to a UsageError raised while
 * resolving options that came from the file. gen-ci's messages quote the
 * rejected value (JSON.stringify) before any suggestion, so the file's
 * string that the message quotes first gives the position. Other errors
 * are returned unchanged.
 * NOTE: a message that quotes no file string, or quotes another one first,
 * gets no position or a wrong one.
 */
export function locateInFile(
  error: unknown,
  layered: LayeredArgs<object>,
): unknown {
  if (!(error instanceof UsageError)) {
    return error;
  }
  const leaf = quotedLeaf(error.message, layered);
  if (!leaf) {
    return error;
  }
  return new UsageError(error.code, `${leaf.location}: ${error.message}`);
}
