/**
 * The hash that each generated file records in its header, so that a later
 * run can tell a file as gen-ci wrote it from one edited by hand. The hash
 * is the SHA-256 of the file's text with the hash line itself removed, so
 * it also covers the other header lines and any Dockerfile parser
 * directives above the header.
 */
import { createHash } from 'node:crypto';

export const BODY_HASH_KEY = 'gen-ci-body-sha256';

/** Header text that the core replaces with the real hash after rendering. */
export const BODY_HASH_PENDING = `${BODY_HASH_KEY}: pending`;

const PENDING_LINE = `# ${BODY_HASH_PENDING}`;
const HASH_LINE = new RegExp(`^\\s*# ${BODY_HASH_KEY}: ([0-9a-f]{64})\\s*$`);

function hashWithout(lines: readonly string[], index: number): string {
  const rest = [...lines.slice(0, index), ...lines.slice(index + 1)];
  return createHash('sha256').update(rest.join('\n'), 'utf8').digest('hex');
}

/**
 * Replaces the one pending hash line of `content` with the hash. Returns
 * undefined when the text has no pending line or more than one, as when
 * a template does not print the header exactly once.
 */
export function sealBodyHash(content: string): string | undefined {
  const lines = content.split('\n');
  const found: number[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === PENDING_LINE) {
      found.push(index);
    }
  });
  if (found.length !== 1) {
    return undefined;
  }
  const index = found[0];
  const hash = hashWithout(lines, index);
  lines[index] = lines[index].replace(
    BODY_HASH_PENDING,
    `${BODY_HASH_KEY}: ${hash}`,
  );
  return lines.join('\n');
}

/**
 * `intact`: the recorded hash matches the text. `edited`: it does not, so
 * someone changed the file after gen-ci wrote it. `absent`: no hash line,
 * as in files written before gen-ci recorded hashes.
 */
export type BodyHashStatus = 'intact' | 'edited' | 'absent';

/**
 * Converts CRLF line ends to LF. Git with core.autocrlf checks files out
 * with CRLF, which changes no content that gen-ci wrote.
 */
export function withLfLineEnds(content: string): string {
  return content.replace(/\r\n/g, '\n');
}

/**
 * Checks the hash line of the leading comment block against the text, and
 * against the text with LF line ends when only those differ.
 */
export function bodyHashStatus(content: string): BodyHashStatus {
  const status = statusOf(content);
  if (status !== 'edited' || !content.includes('\r\n')) {
    return status;
  }
  return statusOf(withLfLineEnds(content));
}

function statusOf(content: string): BodyHashStatus {
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line !== '' && !line.startsWith('#')) {
      break;
    }
    const match = HASH_LINE.exec(line);
    if (match) {
      return match[1] === hashWithout(lines, index) ? 'intact' : 'edited';
    }
  }
  return 'absent';
}
