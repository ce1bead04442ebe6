/** Output formats shared by the commands that print data. */
import type { Argv } from 'yargs';

export const FORMATS = ['table', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function addFormatOption<T>(yargs: Argv<T>): Argv<T & { format: Format }> {
  return yargs.option('format', {
    choices: FORMATS,
    default: 'table' as Format,
    description: 'Output format: an aligned table, or JSON for scripts',
  }) as unknown as Argv<T & { format: Format }>;
}

/**
 * Formats rows as columns separated by two spaces, each as wide as its
 * widest cell, with the header row first. Lines have no trailing spaces.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => row[column].length)),
  );
  const lines = all.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** JSON with two-space indentation and one trailing newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
