/**
 * JSON Schemas written in this project for the files gen-ci emits. They are
 * strict about what gen-ci writes (known keys only, pinned value sets,
 * string variables), so a template mistake fails here before any write.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { CiName } from '../ci/platforms';
import type { Finding } from './findings';
import type { ParsedYaml } from './yaml-checks';

export const BUILTIN_SCHEMA_DIR = path.join(__dirname, '..', '..', 'schemas');

const compiled = new Map<CiName, ValidateFunction>();

function validatorFor(ci: CiName): ValidateFunction {
  const cached = compiled.get(ci);
  if (cached) {
    return cached;
  }
  const file = path.join(BUILTIN_SCHEMA_DIR, `${ci}.schema.json`);
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  compiled.set(ci, validate);
  return validate;
}

/** Validates a parsed file against gen-ci's own schema for its CI. */
export function checkBuiltinSchema(
  ci: CiName,
  file: string,
  parsed: ParsedYaml,
): Finding[] {
  const validate = validatorFor(ci);
  if (validate(parsed.value)) {
    return [];
  }
  return (validate.errors ?? []).map((error) => ({
    file,
    ...locate(parsed, error.instancePath),
    severity: 'error' as const,
    message: `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${describeParams(error.params)}`,
    rule: `schema-${ci}`,
  }));
}

function describeParams(params: Record<string, unknown>): string {
  if ('additionalProperty' in params) {
    return ` (${String(params.additionalProperty)})`;
  }
  if ('allowedValues' in params) {
    return ` (${(params.allowedValues as unknown[]).join(', ')})`;
  }
  return '';
}

/** Finds the line of a JSON pointer in the parsed document. */
export function locate(parsed: ParsedYaml, pointer: string) {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = parsed.document?.contents as unknown;
  let offset = 0;
  for (const key of keys) {
    const next = childNode(node, key);
    if (!next) {
      break;
    }
    node = next;
    offset = (next as { range?: [number] }).range?.[0] ?? offset;
  }
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, column: col };
}

function childNode(node: unknown, key: string): unknown {
  if (!node || typeof node !== 'object' || !('get' in node)) {
    return undefined;
  }
  const collection = node as { get(key: unknown, keep: true): unknown };
  const index = Number(key);
  return Number.isInteger(index) && /^\d+$/.test(key)
    ? collection.get(index, true)
    : collection.get(key, true);
}
