/**
 * Reads the text of a config file into option values. It checks every key
 * and value against the option tables and reports each problem as
 * `file:line:column: message`, using the positions that the yaml package
 * records while parsing.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { findArch } from '../arch/resolve';
import { suggestNearest } from '../arch/suggest';
import { CI_NAMES, type CiName } from '../ci/platforms';
import { UsageError, type ErrorCode } from '../errors';
import type { CiSettingSpec, OptionSpec } from '../options';
import { GENERATE_OPTIONS } from '../options';
import { ciSettingsOf, CONFIG_OPTIONS, topLevelKeys } from './keys';

export type ConfigValue = string | boolean | readonly string[];

/** One string that the file contains, with where it is. */
export interface ConfigLeaf {
  /** The option that the string sets. */
  readonly option: string;
  readonly text: string;
  /** `file:line:column` of the string. */
  readonly location: string;
}

export interface ConfigFile {
  /** The file's path as shown in messages. */
  readonly file: string;
  /** Absolute folder of the file, against which paths resolve. */
  readonly dir: string;
  readonly values: Readonly<Record<string, ConfigValue>>;
  readonly leaves: readonly ConfigLeaf[];
}

/** State of one parse: the file name, positions and what was read. */
class Reader {
  readonly values: Record<string, ConfigValue> = {};
  readonly leaves: ConfigLeaf[] = [];
  /** Values from CI sections, merged after the top level is read. */
  readonly sectionValues: Record<string, ConfigValue[]> = {};
  readonly sectionSources = new Map<string, string>();

  constructor(
    readonly file: string,
    readonly lineCounter: LineCounter,
  ) {}

  location(node: Node | null | undefined, shift = 0): string {
    const offset = (node?.range?.[0] ?? 0) + shift;
    const { line, col } = this.lineCounter.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  fail(
    node: Node | null | undefined,
    message: string,
    code: ErrorCode = 'CONFIG_INVALID',
  ): never {
    throw new UsageError(code, `${this.location(node)}: ${message}`);
  }
}

/**
 * Names the kind of a node for messages. Aliases are never resolved, so
 * alias bombs cost nothing, and each is rejected where a value belongs.
 */
function describeNode(node: unknown): string {
  if (isAlias(node)) {
    return 'an alias (write the value itself)';
  }
  if (isSeq(node)) {
    return 'a list';
  }
  if (isMap(node)) {
    return 'a map';
  }
  const value = isScalar(node) ? node.value : node;
  return value === null || value === undefined ? 'empty' : typeof value;
}

function keyName(reader: Reader, pair: Pair): string {
  const key = pair.key as Node | null;
  if (!isScalar(key) || typeof key.value !== 'string') {
    reader.fail(key, `key ${JSON.stringify(String(key))} must be a string`);
  }
  return key.value;
}

/**
 * Rejects a key that the same map already has. The yaml package's own
 * check compares each key with every earlier one, which takes seconds for
 * a file of many keys, so a Set per map does it here.
 */
function checkUnique(reader: Reader, seen: Set<string>, pair: Pair) {
  const name = keyName(reader, pair);
  if (seen.has(name)) {
    reader.fail(
      pair.key as Node,
      `key ${JSON.stringify(name)} is given twice in this map; keep one`,
    );
  }
  seen.add(name);
  return name;
}

/** Looks up a user's key among own keys only, never inherited ones. */
function ownEntry<T>(table: Readonly<Record<string, T>>, key: string) {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function unknownKey(
  reader: Reader,
  pair: Pair,
  name: string,
  accepted: readonly string[],
  where: string,
): never {
  const hint = suggestNearest(name, accepted);
  const suggestion = hint ? ` (did you mean "${hint}"?)` : '';
  const choices = accepted.length > 0 ? accepted.join(', ') : 'none';
  reader.fail(
    pair.key as Node,
    `unknown key ${JSON.stringify(name)}${where}${suggestion}; accepted keys: ${choices}`,
    'CONFIG_UNKNOWN_KEY',
  );
}

/** Returns the string of a scalar node, or fails naming `name`. */
function readString(reader: Reader, node: unknown, name: string): string {
  if (isScalar(node) && typeof node.value === 'string') {
    return node.value;
  }
  const kind = describeNode(node);
  const fix = kind === 'number' || kind === 'boolean' ? '; quote it' : '';
  return reader.fail(
    node as Node,
    `"${name}" must be a string, not ${kind}${fix}`,
  );
}

/**
 * Records a string and, for comma lists, each item at its own column,
 * with and without the spaces around it, as messages may quote either.
 */
function addLeaves(reader: Reader, option: string, node: Node, text: string) {
  reader.leaves.push({ option, text, location: reader.location(node) });
  const quote = isScalar(node) && node.type !== 'PLAIN' ? 1 : 0;
  let offset = 0;
  for (const item of text.split(',')) {
    const start = offset + (item.length - item.trimStart().length);
    const location = reader.location(node, quote + start);
    reader.leaves.push({ option, text: item.trim(), location });
    reader.leaves.push({ option, text: item, location });
    offset += item.length + 1;
  }
}

function checkChoice(
  reader: Reader,
  node: Node,
  name: string,
  value: string,
  choices: readonly string[] | undefined,
) {
  if (!choices) {
    return;
  }
  for (const item of value.split(',')) {
    const normalised = item.trim().toLowerCase();
    if (!choices.includes(normalised)) {
      const hint = suggestNearest(normalised, choices);
      reader.fail(
        node,
        `invalid "${name}" value ${JSON.stringify(item)}${hint ? ` (did you mean "${hint}"?)` : ''}; choose from ${choices.join(', ')}`,
      );
    }
  }
}

function readListItems(reader: Reader, node: unknown, name: string): Node[] {
  if (isSeq(node)) {
    return node.items as Node[];
  }
  if (isScalar(node) && typeof node.value === 'string') {
    return [node];
  }
  return reader.fail(
    node as Node,
    `"${name}" must be a list or a comma-separated string, not ${describeNode(node)}`,
  );
}

/** Reads the value of option `name` from `node`, checked against `spec`. */
function readOption(
  reader: Reader,
  name: string,
  spec: OptionSpec,
  node: unknown,
): ConfigValue {
  if (node === null || (isScalar(node) && node.value === null)) {
    reader.fail(
      node as Node,
      `"${name}" has no value; give one or remove the key`,
    );
  }
  if (spec.type === 'boolean') {
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      reader.fail(
        node as Node,
        `"${name}" must be true or false, not ${describeNode(node)}`,
      );
    }
    return node.value;
  }
  const items =
    spec.type === 'array' ? readListItems(reader, node, name) : [node as Node];
  const texts = items.map((item) => {
    const text = readString(reader, item, name);
    checkChoice(reader, item, name, text, spec.choices);
    addLeaves(reader, name, item, text);
    return text;
  });
  return spec.type === 'array' ? texts : texts[0];
}

/** Reads `arch: label` entries into `CI:ARCH=LABEL` option values. */
function readArchMap(
  reader: Reader,
  ci: CiName,
  key: string,
  spec: CiSettingSpec,
  node: unknown,
): string[] {
  if (!isMap(node)) {
    return reader.fail(
      node as Node,
      `"${ci}.${key}" must be a map from architecture to runner label, such as arm64: my-arm-runner`,
    );
  }
  const seen = new Set<string>();
  return node.items.map((pair) => {
    const archName = checkUnique(reader, seen, pair);
    const arch = findArch(archName);
    if (!arch) {
      reader.fail(
        pair.key as Node,
        `unknown architecture ${JSON.stringify(archName)} in "${ci}.${key}"; run gen-ci arches for the names`,
        'ARCH_UNKNOWN',
      );
    }
    const label = readString(reader, pair.value, `${ci}.${key}.${archName}`);
    const entry = `${ci}:${arch.name}=${label}`;
    const location = reader.location(pair.value as Node);
    reader.leaves.push({ option: spec.option, text: label, location });
    reader.leaves.push({ option: spec.option, text: entry, location });
    return entry;
  });
}

function readSectionKey(
  reader: Reader,
  ci: CiName,
  pair: Pair,
  settings: Record<string, CiSettingSpec>,
  seen: Set<string>,
) {
  const key = checkUnique(reader, seen, pair);
  const spec = ownEntry(settings, key);
  if (!spec) {
    unknownKey(reader, pair, key, Object.keys(settings), ` in "${ci}"`);
  }
  const option = spec.option;
  const value =
    spec.form === 'arch-map'
      ? readArchMap(reader, ci, key, spec, pair.value)
      : readOption(reader, option, GENERATE_OPTIONS[option], pair.value);
  const previous = reader.sectionSources.get(option);
  if (previous !== undefined && spec.form === 'value') {
    reader.fail(
      pair.key as Node,
      `"${ci}.${key}" sets ${option}, which ${previous} already sets; keep one`,
    );
  }
  reader.sectionSources.set(option, `"${ci}.${key}"`);
  const list = reader.sectionValues[option] ?? [];
  reader.sectionValues[option] = [...list, value];
}

function readSection(reader: Reader, ci: CiName, node: unknown) {
  if (node === null || (isScalar(node) && node.value === null)) {
    return;
  }
  if (!isMap(node)) {
    reader.fail(
      node as Node,
      `"${ci}" must be a map of settings for ${ci}, not ${describeNode(node)}`,
    );
  }
  const settings = ciSettingsOf(ci);
  const seen = new Set<string>();
  for (const pair of node.items) {
    readSectionKey(reader, ci, pair, settings, seen);
  }
}

/**
 * Adds section values to the top-level ones. A list option gets both; a
 * single value set at the top level and in a section is an error.
 */
function mergeSections(reader: Reader, map: YAMLMap) {
  for (const [option, values] of Object.entries(reader.sectionValues)) {
    const top = reader.values[option];
    if (CONFIG_OPTIONS[option].type === 'array') {
      const items = values.flat() as string[];
      reader.values[option] = [...((top as string[] | undefined) ?? []), ...items];
      continue;
    }
    if (top !== undefined) {
      reader.fail(
        map.get(option, true) as Node,
        `"${option}" is set here and in ${reader.sectionSources.get(option)}; keep one`,
      );
    }
    reader.values[option] = values[0];
  }
}

function readTopLevel(reader: Reader, map: YAMLMap) {
  const seen = new Set<string>();
  for (const pair of map.items) {
    const name = checkUnique(reader, seen, pair);
    const spec = ownEntry(CONFIG_OPTIONS, name);
    if (spec) {
      reader.values[name] = readOption(reader, name, spec, pair.value);
    } else if ((CI_NAMES as readonly string[]).includes(name)) {
      readSection(reader, name as CiName, pair.value);
    } else {
      unknownKey(reader, pair, name, topLevelKeys(), '');
    }
  }
  mergeSections(reader, map);
}

export interface ParseOptions {
  /** Read only this key of the top-level map, as in package.json. */
  readonly key?: string;
}

/**
 * Parses a config file's text. Returns undefined when `options.key` is set
 * and the file has no such key. Throws a UsageError (CONFIG_INVALID,
 * CONFIG_UNKNOWN_KEY or ARCH_UNKNOWN) whose message starts with the
 * position of the problem.
 */
export function parseConfigText(
  text: string,
  file: string,
  dir: string,
  options: ParseOptions = {},
): ConfigFile | undefined {
  const lineCounter = new LineCounter();
  const reader: Reader = new Reader(file, lineCounter);
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // Checked per map by checkUnique, in linear time.
    uniqueKeys: false,
  });
  const [error] = document.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const message = error.message.split('\n')[0];
    throw new UsageError(
      'CONFIG_INVALID',
      `${file}:${line}:${col}: ${message}; fix the syntax`,
    );
  }
  let root = document.contents as unknown;
  if (options.key !== undefined) {
    if (!isMap(root) || !root.has(options.key)) {
      return undefined;
    }
    root = root.get(options.key, true);
  }
  if (root === null || (isScalar(root) && root.value === null)) {
    return { file, dir, values: {}, leaves: [] };
  }
  if (!isMap(root)) {
    reader.fail(
      root as Node,
      `the configuration must be a map of keys such as arch: [arm64], not ${describeNode(root)}`,
    );
  }
  readTopLevel(reader, root);
  return { file, dir, values: reader.values, leaves: reader.leaves };
}
