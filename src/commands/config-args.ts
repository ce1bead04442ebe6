/**
 * The `--config` option and the step that every command resolving a
 * config shares: read the config file, layer flags over it, resolve, and
 * point errors in file values at their line and column.
 */
import type { Argv } from 'yargs';
import type { ResolvedConfig } from '../config';
import { loadConfigFile } from '../config-file/find';
import { layerArgs, locateInFile } from '../config-file/merge';
import type { ConfigFile } from '../config-file/parse';
import type { Logger } from '../log';
import { singleValue } from './options';

export interface ConfigArgs {
  config?: string;
  /** The repository root, where the config file is looked for. */
  out: string;
}

export function addConfigOption<T>(yargs: Argv<T>): Argv<T> {
  return yargs.option('config', {
    type: 'string',
    requiresArg: true,
    coerce: singleValue('config'),
    description:
      'Config file to read; default: gen-ci.yml, .gen-ci.yml or the "gen-ci" key of package.json in --out. Flags override its values',
  }) as unknown as Argv<T>;
}

export interface CommandConfig<Args> {
  /** The flags with the config file's values and the defaults filled in. */
  readonly args: Args;
  readonly config: ResolvedConfig;
  readonly file?: ConfigFile;
}

/**
 * Reads the config file, layers `flags` over it, resolves the result and
 * logs the config's warnings.
 */
export function resolveCommandConfig<Args extends ConfigArgs>(
  flags: Args,
  resolve: (args: Args) => ResolvedConfig,
  log: Logger,
): CommandConfig<Args> {
  const file = loadConfigFile(flags.config, flags.out);
  if (file) {
    log.debug(`reading options from ${file.file}`);
  }
  const layered = layerArgs(flags, file);
  let config: ResolvedConfig;
  try {
    config = resolve(layered.args);
  } catch (error) {
    throw locateInFile(error, layered);
  }
  for (const warning of config.warnings) {
    log.warn(warning);
  }
  return { args: layered.args, config, file };
}
