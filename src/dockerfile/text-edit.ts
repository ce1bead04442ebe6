/**
 * Text edits on a Dockerfile, so that gen-ci changes only the characters it
 * means to change and keeps the rest of the user's file as written.
 */

/** A replacement of `content.slice(start, end)` by `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Converts CRLF to LF, drops a byte order mark and ends with one newline. */
export function normalizeText(content: string): string {
  return content
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n')
    .replace(/\n*$/, '\n');
}

/** Returns the offset at which each line starts. */
export function findLineStarts(content: string): number[] {
  const starts = [0];
  for (let index = 0; index < content.length; index += 1) {
    if (content[index] === '\n') {
      starts.push(index + 1);
    }
  }
  return starts;
}

/** Applies non-overlapping edits. Edits with equal starts keep their order. */
export function applyEdits(
  content: string,
  edits: readonly TextEdit[],
): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    result += content.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + content.slice(cursor);
}
