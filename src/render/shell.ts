/**
 * Building shell command lines in which every value is one literal word.
 *
 * `sh` is a tagged template: the literal parts are trusted shell text
 * written in gen-ci's own source, and every interpolated value is quoted
 * so that the shell performs no expansion on it. Wrap deliberate shell text
 * (such as a variable reference) in `shellText` to interpolate it as is.
 */

const BARE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Shell text that `sh` interpolates without quoting. */
export class ShellText {
  constructor(readonly text: string) {}
}

export function shellText(text: string): ShellText {
  return new ShellText(text);
}

/** Quotes one value as a single shell word with no expansion inside. */
export function shellWord(value: string): string {
  if (BARE_WORD.test(value)) {
    return value;
  }
  return `'${value.replace(/'/g, "'\\''")}'`;
}

export type ShellValue = string | ShellText | readonly (string | ShellText)[];

function renderValue(value: ShellValue): string {
  if (value instanceof ShellText) {
    return value.text;
  }
  if (typeof value === 'string') {
    return shellWord(value);
  }
  return value.map(renderValue).join(' ');
}

export function sh(
  literals: TemplateStringsArray,
  ...values: ShellValue[]
): string {
  let out = literals[0];
  values.forEach((value, index) => {
    out += renderValue(value) + literals[index + 1];
  });
  return out;
}

/** Joins values into one command line, each value quoted as in `sh`. */
export function shellCommand(...values: ShellValue[]): string {
  return values
    .map(renderValue)
    .filter((text) => text !== '')
    .join(' ');
}
