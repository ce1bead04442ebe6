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
