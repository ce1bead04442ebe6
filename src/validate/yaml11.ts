/**
 * Plain scalars that a CI's YAML 1.1 reader reads differently from a
 * YAML 1.2 reader (the `yaml` package, and every other layer of gen-ci).
 * Each CI reads YAML 1.1 in its own way, so the differences are filtered
 * by reader:
 * - `psych`: GitLab CI loads `.gitlab-ci.yml` with Ruby's Psych, which reads
 *   `yes`, `no`, `on` and `off` (any case) as booleans, `0755` as octal,
 *   `1:20` as base-60 and dates as timestamps, but `y` and `n` as strings.
 * - `travis-yml`: Travis CI's travis-yml loaders keep `yes`, `no`, `on`,
 *   `off`, floats and times as strings (its ScalarScanner and LessYAML
 *   patches). Only integer forms can differ, and only in the Psych-based
 *   loader, so those are warnings.
 * - `strict`: every difference is an error, for gen-ci's own output, which
 *   must read the same everywhere.
 */
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type LineCounter,
  type Node,
} from 'yaml';
import type { Finding } from './findings';

export type Yaml11Reader = 'psych' | 'travis-yml' | 'strict';

/** A plain scalar starting with a letter is a string in both versions... */
const READS_AS_STRING_IN_BOTH = /^[A-Za-z]/;
/** ...unless it is one of YAML 1.1's booleans or nulls. */
const YAML11_WORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;
/** Psych reads only these words as booleans, not `y` or `n`. */
const PSYCH_BOOLEAN_WORDS = /^(yes|no|true|false|on|off)$/i;

interface Reading {
  readonly source: string;
  readonly v11: unknown;
  readonly v12: unknown;
}

/**
 * Reports every plain scalar, key or value, whose reading by `reader`
 * differs from its YAML 1.2 reading, by parsing the scalar's source both
 * ways.
 */
export function yaml11Differences(
  file: string,
  document: Document.Parsed,
  lineCounter: LineCounter,
  reader: Yaml11Reader,
): Finding[] {
  const findings: Finding[] = [];
  visitScalars(document.contents, (node) => {
    if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) {
      return;
    }
    const reading = readBothWays(String(node.source ?? node.value));
    const severity = reading && severityFor(reading, reader);
    if (!reading || !severity) {
      return;
    }
    const { line, col } = lineCounter.linePos(node.range[0]);
    findings.push({
      file,
      line,
      column: col,
      severity,
      message: describeDifference(reading, reader),
      rule: 'yaml-1.1-ambiguous',
    });
  });
  return findings;
}

function readBothWays(source: string): Reading | undefined {
  if (READS_AS_STRING_IN_BOTH.test(source) && !YAML11_WORDS.test(source)) {
    return undefined;
  }
  const v12 = parseDocument(source, { version: '1.2' }).toJS();
  const v11 = parseDocument(source, { version: '1.1' }).toJS();
  return sameValue(v11, v12) ? undefined : { source, v11, v12 };
}

/** Returns the severity of a difference, or undefined to skip it. */
function severityFor(
  reading: Reading,
  reader: Yaml11Reader,
): Finding['severity'] | undefined {
  if (reader === 'strict') {
    return 'error';
  }
  if (reader === 'psych') {
    const isBoolean = typeof reading.v11 === 'boolean';
    return isBoolean && !PSYCH_BOOLEAN_WORDS.test(reading.source)
      ? undefined
      : 'error';
  }
  // travis-yml keeps booleans words, floats and times as strings.
  return Number.isInteger(reading.v11) ? 'warning' : undefined;
}

function describeDifference(reading: Reading, reader: Yaml11Reader): string {
  const { source, v11, v12 } = reading;
  const readerText = {
    psych: 'GitLab CI (YAML 1.1) reads it as',
    'travis-yml': "Travis CI's Psych-based reader (YAML 1.1) may read it as",
    strict: 'YAML 1.1 reads it as',
  }[reader];
  return `${source} is ${describe(v12)} in YAML 1.2, but ${readerText} ${describe(v11)}; quote it`;
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
  if (a instanceof Date && b instanceof Date) {
    return a.getTime() === b.getTime();
  }
  return a === b;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value)}`;
  }
  if (value instanceof Date) {
    return `the timestamp ${value.toISOString()}`;
  }
  if (value === null) {
    return 'null';
  }
  return `the ${typeof value} ${String(value)}`;
}
