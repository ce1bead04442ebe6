/**
 * The command line: parses flags with yargs, runs one command and turns
 * errors into exit codes. User errors print one line without a stack;
 * anything else is reported as a bug in gen-ci, with its stack.
 */
import type { Argv } from 'yargs';
// Only the factory: importing `yargs` also builds a singleton parser.
import yargs from 'yargs/yargs';
import { COMMANDS } from './commands';
import {
  addDefaultCompletions,
  checkCompletionArgs,
  COMPLETION_COMMAND,
} from './completion';
import { flagFormCheck } from './commands/flag-forms';
import { isRepeatedOptionMessage } from './commands/options';
import { isUserFacingError, UsageError } from './errors';
import { GEN_CI_VERSION } from './header';
import { createLogger, printable, type Logger } from './log';
import { mapStack } from './stack-map';

interface GlobalArgs {
  quiet: boolean;
  verbose: boolean;
}

function buildParser(
  argv: readonly string[],
  log: Logger,
  setExit: (code: number) => void,
): Argv {
  let parser = yargs([...argv])
    .scriptName('gen-ci')
    // `--arch.x` would set arch to an object; as an unknown flag it fails.
    .parserConfiguration({ 'dot-notation': false })
    .middleware(flagFormCheck(argv))
    .usage('$0 [command] [options]\n\nWrites multi-architecture Docker build pipelines for CI.')
    .option('quiet', {
      type: 'boolean',
      default: false,
      description: 'Print only warnings and errors',
    })
    .option('verbose', {
      type: 'boolean',
      default: false,
      description: 'Print debugging details',
    });
  for (const spec of COMMANDS) {
    parser = parser.command(
      spec.command as string | string[],
      spec.describe,
      (yargs) => spec.builder(yargs),
      async (args) => setExit(await spec.run(args, log)),
    );
  }
  return addDefaultCompletions(parser, argv)
    .version(GEN_CI_VERSION)
    .completion(
      COMPLETION_COMMAND,
      'Print a shell completion script: gen-ci completion >> ~/.bashrc (zsh: >> ~/.zshrc)',
    )
    .help()
    .alias('help', 'h')
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 80))
    .exitProcess(false)
    .fail((message, error) => {
      throw parserError(message, error);
    });
}

interface YargsUsageInternals {
  cacheHelpMessage?: () => void;
}

interface YargsInternals {
  getInternalMethods?: () => {
    getUsageInstance?: () => YargsUsageInternals;
  };
}

/**
 * Stops yargs from formatting the help text after each named command.
 * yargs 17 keeps that text for a handler that calls showHelp(), which no
 * gen-ci handler does, and formatting it took about 8 ms of a 110 ms
 * cold `gen-ci validate` run. `--help` still formats help when asked.
 * NOTE: this reaches into yargs 17.7's internal usage object; where that
 * object has no such method, yargs keeps caching as before.
 */
export function skipHelpCache(parser: Argv): void {
  const internals = (parser as unknown as YargsInternals).getInternalMethods;
  const usage = internals?.call(parser).getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') {
    usage.cacheHelpMessage = () => undefined;
  }
}

/**
 * Converts a yargs parse error to a usage error. yargs reports a flag
 * without a value as a YError, and any other error came from a command.
 */
function parserError(message: string | null, error: Error | undefined): Error {
  if (error !== undefined && error.name !== 'YError') {
    return error;
  }
  const text = message ?? error?.message ?? 'invalid arguments';
  if (isRepeatedOptionMessage(text)) {
    return new UsageError('OPTION_INVALID', text);
  }
  const missing = /^Not enough arguments following: (\S+)$/.exec(text);
  if (missing) {
    const flag = `--${missing[1]}`;
    return new UsageError(
      'OPTION_INVALID',
      `${flag} needs a value; give it after ${flag}, or write ${flag}=VALUE when the value starts with "-"`,
    );
  }
  return new UsageErrorFromParser(text.replace(/\s*\n\s*/g, ' '));
}

/** A flag parsing error from yargs: unknown option, missing value. */
class UsageErrorFromParser extends Error {}

function levelOf(argv: readonly string[]): 'quiet' | 'normal' | 'verbose' {
  if (argv.includes('--quiet')) {
    return 'quiet';
  }
  return argv.includes('--verbose') ? 'verbose' : 'normal';
}

/** Runs the command line and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const log = createLogger(levelOf(argv));
  let exitCode = 0;
  try {
    const parser = buildParser(argv, log, (code) => {
      exitCode = code;
    });
    // With exitProcess(false), yargs would go on to run the default
    // command after printing the script, so the script is printed here.
    if (argv[0] === COMPLETION_COMMAND) {
      checkCompletionArgs(argv.slice(1));
      parser.showCompletionScript();
      return 0;
    }
    skipHelpCache(parser);
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    return reportError(error, log);
  }
}

function reportError(error: unknown, log: Logger): number {
  if (isUserFacingError(error)) {
    // A usage error is one line; a check failure may list findings.
    log.error(printable(error.message, error.exitCode !== 2));
    return error.exitCode;
  }
  if (error instanceof UsageErrorFromParser) {
    log.error(`${error.message}; run gen-ci --help for the options`);
    return 2;
  }
  const detail =
    error instanceof Error
      ? mapStack(error.stack ?? error.message, __filename)
      : String(error);
  log.error(`internal error, which is a bug in gen-ci; please report it:\n${detail}`);
  return 70;
}

export type { GlobalArgs };
