/**
 * YAML checks that apply to any CI file: syntax errors, duplicate keys
 * (a last-wins reader silently drops the earlier entry) and values that
 * YAML 1.1 and YAML 1.2 read differently. Travis CI and GitLab CI read
 * YAML 1.1, where `on`, `no` and `0755` may not be what they look like.
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
import { yaml11Differences, type Yaml11Reader } from './yaml11';

export type { Yaml11Reader } from './yaml11';

export interface ParsedYaml {
  /**
   * The YAML 1.2 reading with merge keys applied and the last of duplicate
   * keys kept, or undefined when the text does not parse.
   */
  readonly value: unknown;
  readonly document?: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The text that was parsed, for locating words inside scalars. */
  readonly text: string;
  readonly findings: Finding[];
}

export interface YamlReadOptions {
  /** Also report values that the CI's YAML 1.1 reader reads differently. */
  readonly yaml11: boolean;
  /** The CI's YAML 1.1 reader; default `psych`. */
  readonly yaml11Reader?: Yaml11Reader;
  /** Read GitLab's `!reference [job, key]` tag as a plain sequence. */
  readonly gitlabTags?: boolean;
}

const REFERENCE_TAG = {
  tag: '!reference',
  collection: 'seq' as const,
  resolve: (value: unknown) => value,
};

/** The merge key, which YAML 1.1 readers allow more than once in a map. */
const MERGE_KEY = '<<';

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
    // Duplicates are reported below and then read last-wins, the way
    // Ruby's Psych and Go's YAML readers of the CIs read them.
    uniqueKeys: false,
    customTags: options.gitlabTags ? [REFERENCE_TAG] : [],
  });
  const findings = syntaxFindings(file, document, lineCounter);
  if (document.errors.length > 0) {
    return { value: undefined, document, lineCounter, text, findings };
  }
  findings.push(...duplicateKeys(file, document, lineCounter));
  if (options.yaml11) {
    const reader = options.yaml11Reader ?? 'psych';
    findings.push(...yaml11Differences(file, document, lineCounter, reader));
  }
  const value = expandAliases(file, document, lineCounter, findings);
  return { value, document, lineCounter, text, findings };
}

/**
 * Aliases that expand to more nodes than this are rejected: a few lines of
 * nested aliases can stand for billions of nodes, which the schema and lint
 * layers would then walk one by one.
 */
const MAX_ALIAS_EXPANSION = 1000;

function expandAliases(
  file: string,
  document: Document.Parsed,
  lineCounter: LineCounter,
  findings: Finding[],
): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (error) {
    if (!(error instanceof ReferenceError)) {
      throw error;
    }
    const tooMany = /excessive alias count/i.test(error.message);
    findings.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      message: tooMany
        ? `aliases expand to too many nodes (more than ${MAX_ALIAS_EXPANSION} per alias); write the repeated parts out or use fewer nested aliases`
        : firstLine(error.message),
      rule: tooMany ? 'yaml-alias-limit' : 'yaml-syntax',
    });
    return undefined;
  }
}

function syntaxFindings(
  file: string,
  document: Document.Parsed,
  lineCounter: LineCounter,
): Finding[] {
  const toFinding =
    (severity: Finding['severity']) =>
    (problem: { pos: [number, number]; message: string }): Finding => ({
      file,
      ...position(lineCounter, problem.pos[0]),
      severity,
      message: firstLine(problem.message),
      rule: 'yaml-syntax',
    });
  return [
    ...document.errors.map(toFinding('error')),
    ...document.warnings.map(toFinding('warning')),
  ];
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** Reports every key that repeats an earlier key of the same map. */
function duplicateKeys(
  file: string,
  document: Document.Parsed,
  lineCounter: LineCounter,
): Finding[] {
  const findings: Finding[] = [];
  visitMaps(document.contents, (map) => {
    const firstLines = new Map<string, number>();
    for (const pair of map.items) {
      const key = keyText(pair.key);
      const offset = (pair.key as Node | null)?.range?.[0];
      if (key === undefined || key === MERGE_KEY || offset === undefined) {
        continue;
      }
      const where = position(lineCounter, offset);
      const first = firstLines.get(key);
      if (first === undefined) {
        firstLines.set(key, where.line);
        continue;
      }
      findings.push({
        file,
        ...where,
        severity: 'error',
        message: `duplicate key ${JSON.stringify(key)} (first on line ${first}): the CI keeps only this one and silently drops the earlier entry`,
        rule: 'yaml-duplicate-key',
      });
    }
  });
  return findings;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) {
    return undefined;
  }
  // With merge keys on, the parser reads `<<` as a symbol.
  return typeof key.value === 'symbol' ? MERGE_KEY : String(key.value);
}

type YamlMapNode = { items: { key: unknown; value: unknown }[] };

function visitMaps(node: unknown, visit: (map: YamlMapNode) => void): void {
  if (isMap(node)) {
    visit(node as unknown as YamlMapNode);
    for (const pair of node.items) {
      visitMaps(pair.value, visit);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      visitMaps(item, visit);
    }
  }
}
