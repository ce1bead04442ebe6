import type { Argv, Options } from 'yargs';
import type { OptionSpec } from '../options';

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
