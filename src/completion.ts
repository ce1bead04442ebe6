/**
 * Shell completion: the `completion` command that prints yargs's script,
 * and the requests that script sends back (`--get-yargs-completions`).
 */
import type { Argv } from 'yargs';
import { COMMANDS } from './commands';
import { UsageError } from './errors';

export const COMPLETION_COMMAND = 'completion';

/** The option of yargs's completion requests, followed by the words typed. */
const COMPLETION_REQUEST = '--get-yargs-completions';

/** Returns the names of gen-ci's commands, without the default `$0`. */
function commandNames(): Set<string> {
  return new Set(
    COMMANDS.flatMap((spec) => [spec.command].flat())
      .map((command) => command.split(' ')[0])
      .filter((name) => name !== '$0'),
  );
}

/**
 * Adds the default command's options to a completion request that names
 * no command. yargs builds a command's options only when it runs the
 * command, so `gen-ci --ar<TAB>` would otherwise offer global flags only.
 */
export function addDefaultCompletions(parser: Argv, argv: readonly string[]): Argv {
  const request = argv.indexOf(COMPLETION_REQUEST);
  if (request < 0) {
    return parser;
  }
  // The words after the request start with the script name.
  const words = argv.slice(request + 2);
  const names = commandNames();
  if (words.some((word) => names.has(word))) {
    return parser;
  }
  const defaultCommand = COMMANDS.find((spec) =>
    [spec.command].flat().includes('$0'),
  );
  return defaultCommand ? defaultCommand.builder(parser) : parser;
}

/**
 * Rejects words after `completion`, such as a shell name: yargs picks bash
 * or zsh from the environment, so `gen-ci completion fish` would print the
 * bash script.
 */
export function checkCompletionArgs(args: readonly string[]): void {
  const extra = args.find((arg) => !arg.startsWith('-'));
  if (extra !== undefined) {
    throw new UsageError(
      'OPTION_INVALID',
      `gen-ci completion takes no arguments, but got ${JSON.stringify(extra)}; it prints a bash script, or a zsh script when SHELL names zsh`,
    );
  }
}
