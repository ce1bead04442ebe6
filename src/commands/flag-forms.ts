/**
 * Checks spellings of flags that yargs accepts but reads differently from
 * what a user means: `--no-arch` sets a value option to false, and
 * `--check=1` sets a boolean to false, because yargs takes only `true` as
 * true. Both are rejected as bad usage before any command runs.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors';

const BOOLEAN_WORDS = new Set(['true', 'false']);

interface ParsedOptions {
  readonly boolean: readonly string[];
  readonly key: Readonly<Record<string, unknown>>;
}

/** The part of a yargs instance that middleware reads; @types/yargs omits it. */
interface OptionSource {
  getOptions(): ParsedOptions;
}

interface OptionKinds {
  readonly booleans: Set<string>;
  readonly all: Set<string>;
}

/** Returns the long flag names of the command's options by kind. */
function optionKinds(yargs: OptionSource): OptionKinds {
  const options = yargs.getOptions();
  return {
    booleans: new Set(options.boolean),
    all: new Set(Object.keys(options.key)),
  };
}

/**
 * Returns a flag name in the kebab case that gen-ci declares: yargs also
 * accepts `--dryRun` for `--dry-run`.
 */
function kebabName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Rejects `--name=VALUE` for a boolean flag unless VALUE is true or false. */
function checkBooleanValues(argv: readonly string[], booleans: Set<string>) {
  for (const word of argv) {
    const match = /^--(?:no-)?([^=]+)=(.*)$/s.exec(word);
    const name = match ? kebabName(match[1]) : '';
    if (match && booleans.has(name) && !BOOLEAN_WORDS.has(match[2])) {
      throw new UsageError(
        'OPTION_INVALID',
        `invalid ${JSON.stringify(word)}: --${name} is a switch, so give it alone (--${name}, --no-${name}) or as --${name}=true or --${name}=false`,
      );
    }
  }
}

/** Rejects `--no-NAME` for an option that takes a value. */
function checkNegatedValues(argv: readonly string[], kinds: OptionKinds) {
  for (const word of argv) {
    const match = /^--no-([^=]+)$/.exec(word);
    const name = match ? kebabName(match[1]) : '';
    if (match && kinds.all.has(name) && !kinds.booleans.has(name)) {
      throw new UsageError(
        'OPTION_INVALID',
        `invalid ${word}: --${name} takes a value, so there is no --no-${name}; leave the flag out for its default`,
      );
    }
  }
}

/**
 * Returns a yargs middleware that checks the words of `argv`, the command
 * line before parsing, against the options of the command that runs.
 */
export function flagFormCheck(argv: readonly string[]) {
  // Words after `--` are operands, not flags.
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  // yargs passes its instance as the second argument.
  return (_args: unknown, yargs?: Argv): void => {
    if (yargs === undefined) {
      return;
    }
    const kinds = optionKinds(yargs as unknown as OptionSource);
    checkBooleanValues(flags, kinds.booleans);
    checkNegatedValues(flags, kinds);
  };
}
