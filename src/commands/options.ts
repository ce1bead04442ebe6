import type { Argv, Options } from 'yargs';
import { UsageError } from '../errors';
import type { OptionSpec } from '../options';

const REPEATED_SUFFIX = '; give it once';

/**
 * Reports whether a yargs error message came from singleValue. yargs
 * rethrows a coerce error as a YError holding only the message.
 */
export function isRepeatedOptionMessage(message: string): boolean {
  return /^--\S+ is given \S+( times)?; give it once$/.test(message);
}

/**
 * Returns a yargs coerce function for a single-value option. yargs turns a
 * repeated flag into a list, which the commands would take for a string.
 */
export function singleValue(name: string): (value: unknown) => unknown {
  return (value) => {
    if (!Array.isArray(value)) {
      return value;
    }
    const count = value.length === 2 ? 'twice' : `${value.length} times`;
    throw new UsageError(
      'OPTION_INVALID',
      `--${name} is given ${count}${REPEATED_SUFFIX}`,
    );
  };
}

/** Declares every option of a spec table on a yargs command. */
export function addOptions(
  yargs: Argv,
  specs: Readonly<Record<string, OptionSpec>>,
): Argv {
  let result = yargs;
  for (const [name, spec] of Object.entries(specs)) {
    const option: Options = {
      type: spec.type,
      description: spec.description,
      requiresArg: spec.type !== 'boolean',
    };
    if (spec.choices) {
      option.choices = [...spec.choices];
    }
    if (spec.type === 'string') {
      option.coerce = singleValue(name);
    }
    if (spec.type === 'array') {
      // Lists keep commas: the core splits comma-separated names itself,
      // and a --build-arg value may contain a comma.
      option.string = true;
      delete option.choices;
    }
    if (spec.default !== undefined) {
      // Help shows the default, but yargs leaves an unset flag undefined,
      // so that a config file value can fill it (config-file/merge.ts).
      option.defaultDescription = JSON.stringify(spec.default);
    }
    result = result.option(name, option);
  }
  return result;
}
