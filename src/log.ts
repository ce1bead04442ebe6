/**
 * The command line's one logger: diagnostics go to stderr, data to stdout.
 * `--quiet` keeps only warnings and errors; `--verbose` adds debug lines.
 */
export type LogLevel = 'quiet' | 'normal' | 'verbose';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Data output, such as a dry run's files; never suppressed. */
  data(text: string): void;
}

export function createLogger(
  level: LogLevel = 'normal',
  streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = {
    out: process.stdout,
    err: process.stderr,
  },
): Logger {
  const line = (text: string) => streams.err.write(`${text}\n`);
  return {
    debug: (message) => level === 'verbose' && line(`gen-ci: ${message}`),
    info: (message) => level !== 'quiet' && line(message),
    warn: (message) => line(`gen-ci: warning: ${message}`),
    error: (message) => line(`gen-ci: error: ${message}`),
    data: (text) => streams.out.write(text),
  };
}

/**
 * Characters that a terminal or a CI log shows as a line break, hides or
 * reorders: C0 and C1 controls, the Unicode line and paragraph separators
 * and the bidirectional-text controls.
 */
const UNPRINTABLE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes unprintable characters as `\uXXXX`, so a file name or value in a
 * message cannot add lines to it. Newlines are escaped too unless
 * `keepNewlines` is set, for messages that list one finding per line.
 */
export function printable(message: string, keepNewlines = false): string {
  const escaped = message.replace(UNPRINTABLE, escapeCharacter);
  return keepNewlines ? escaped : escaped.replace(/\n/g, '\\n');
}

function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${code}`;
}
