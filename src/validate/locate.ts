/**
 * Line and column of a value in a parsed YAML file, from a JSON pointer.
 * A value that reached its place through an alias or a merge key has no
 * node of its own there, so the position falls back to the nearest node
 * on the path that does exist.
 */
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedYaml } from './yaml-checks';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export function pointerKeys(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function pointerOf(keys: readonly (string | number)[]): string {
  return keys
    .map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** Returns the node at `pointer`, or the deepest node on its path. */
export function nodeAt(parsed: ParsedYaml, pointer: string): Node | undefined {
  const document = parsed.document;
  let node = document?.contents as unknown;
  for (const key of pointerKeys(pointer)) {
    let next = childNode(node, key);
    if (next && isAlias(next) && document) {
      next = next.resolve(document);
    }
    if (!next) {
      break;
    }
    node = next;
  }
  return (node ?? undefined) as Node | undefined;
}

export function locate(parsed: ParsedYaml, pointer: string): Position {
  return offsetPosition(parsed, nodeAt(parsed, pointer)?.range?.[0] ?? 0);
}

/**
 * Returns the position of the first `word` inside the source of the value
 * at `pointer`, such as one flag inside a multi-line `script` entry. When
 * the word does not appear as written, returns the value's position.
 */
export function locateWord(
  parsed: ParsedYaml,
  pointer: string,
  word: string,
): Position {
  const range = nodeAt(parsed, pointer)?.range;
  if (!range) {
    return offsetPosition(parsed, 0);
  }
  const found = parsed.text.slice(range[0], range[1]).indexOf(word);
  return offsetPosition(parsed, range[0] + Math.max(found, 0));
}

/** Returns the position of the key of the map entry at `pointer`. */
export function locateKey(parsed: ParsedYaml, pointer: string): Position {
  const keys = pointerKeys(pointer);
  const last = keys.pop();
  const parent = nodeAt(parsed, pointerOf(keys));
  if (isMap(parent)) {
    const pair = parent.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === last,
    );
    const range = (pair?.key as Node | undefined)?.range;
    if (range) {
      return offsetPosition(parsed, range[0]);
    }
  }
  return locate(parsed, pointer);
}

function offsetPosition(parsed: ParsedYaml, offset: number): Position {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, column: col };
}

function childNode(node: unknown, key: string): unknown {
  if (!node || typeof node !== 'object' || !('get' in node)) {
    return undefined;
  }
  const collection = node as { get(key: unknown, keep: true): unknown };
  if (isSeq(node)) {
    return /^\d+$/.test(key) ? collection.get(Number(key), true) : undefined;
  }
  // A map key written as a number reads as a number, not a string.
  return collection.get(key, true) ?? collection.get(Number(key), true);
}
