/**
 * YAML checks that apply to any CI file: syntax errors, duplicate keys
 * (a last-wins reader silently drops the earlier entry) and values that
 * YAML 1.1 and YAML 1.2 read differently. Travis CI and GitLab CI read
 * YAML 1.1, where `on`, `no` and `0755` are not the strings they look like.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { Finding } from './findings';

export interface ParsedYaml {
  /** The YAML 1.2 reading, or undefined when the text does not parse. */
  readonly value: unknown;
  readonly document?: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly findings: Finding[];
}

/** Custom tags that a CI defines, read as plain data here. */
export interface YamlReadOptions {
  /** Also report values that YAML 1.1 reads differently. */
  readonly yaml11: boolean;
  /** GitLab's `!reference [job, key]` tag. */
  readonly gitlabTags?: boolean;
}

const REFERENCE_TAG = {
  tag: '!reference',
  collection: 'seq' as const,
  resolve: (value: unknown) => value,
};

function position(lineCounter: LineCounter, offset: number) {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

export function readYaml(
  file: string,
  text: string,
  options: YamlReadOptions,
): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    merge: true,
    prettyErrors: false,
    uniqueKeys: true,
    customTags: options.gitlabTags ? [REFERENCE_TAG] : [],
  });
  const findings: Finding[] = [];
  for (const error of document.errors) {
    findings.push({
      file,
      ...position(lineCounter, error.pos[0]),
      severity: 'error',
      message: firstLine(error.message),
      rule: error.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
    });
  }
  if (document.errors.length > 0) {
    return { value: undefined, document, lineCounter, findings };
  }
  if (options.yaml11) {
    findings.push(...yaml11Differences(file, document, lineCounter));
  }
  return { value: document.toJS(), document, lineCounter, findings };
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** A plain scalar starting with a letter is a string in both versions... */
const READS_AS_STRING_IN_BOTH = /^[A-Za-z]/;
/** ...unless it is one of YAML 1.1's booleans or nulls. */
const YAML11_WORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;

/**
 * Reports every plain scalar whose YAML 1.1 reading differs from its
 * YAML 1.2 reading, by parsing the scalar's source both ways.
 */
function yaml11Differences(
  file: string,
  document: Document.Parsed,
  lineCounter: LineCounter,
): Finding[] {
  const findings: Finding[] = [];
  visitScalars(document.contents, (node) => {
    if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) {
      return;
    }
    const source = String(node.source ?? node.value);
    if (READS_AS_STRING_IN_BOTH.test(source) && !YAML11_WORDS.test(source)) {
      return;
    }
    const v12 = parseDocument(source, { version: '1.2' }).toJS();
    const v11 = parseDocument(source, { version: '1.1' }).toJS();
    if (!sameValue(v11, v12)) {
      findings.push({
        file,
        ...position(lineCounter, node.range[0]),
        severity: 'error',
        message: `${source} reads as ${describe(v11)} in YAML 1.1 but ${describe(v12)} in YAML 1.2; quote it`,
        rule: 'yaml-1.1-ambiguous',
      });
    }
  });
  return findings;
}

function visitScalars(node: Node | null | unknown, visit: (n: Node) => void) {
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      if (item && typeof item === 'object' && 'key' in item) {
        const pair = item as { key: unknown; value: unknown };
        visitScalars(pair.key, visit);
        visitScalars(pair.value, visit);
      } else {
        visitScalars(item, visit);
      }
    }
    return;
  }
  if (isScalar(node)) {
    visit(node);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return Object.is(a, b);
  }
  return a === b || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value)}`;
  }
  if (value instanceof Date) {
    return `the timestamp ${value.toISOString()}`;
  }
  return `${typeof value === 'object' ? 'null' : typeof value} ${String(value)}`;
}
