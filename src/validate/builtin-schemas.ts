/**
 * JSON Schemas written in this project for the files gen-ci emits. They are
 * strict about what gen-ci writes (known keys only, pinned value sets,
 * string variables), so a template mistake fails here before any write.
 *
 * `npm run build` compiles each `schemas/<ci>.schema.json` to standalone
 * validator code in `dist/validators/<ci>.js` (scripts/compile-schemas.js),
 * stamped with the schema's sha256. A run loads that code. It compiles the
 * schema itself only when the code is missing or stale, such as when tests
 * run from the TypeScript sources right after a schema edit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { CiName } from '../ci/platforms';
import { PACKAGE_ROOT } from '../package-root';
import type { Finding } from './findings';
import { locate } from './locate';
import { compileSchema, sha256 } from './schema-compile';
import { reduceSchemaErrors } from './schema-errors';
import type { ParsedYaml } from './yaml-checks';

export { locate } from './locate';

export const BUILTIN_SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schemas');

export const PRECOMPILED_DIR = path.join(PACKAGE_ROOT, 'dist', 'validators');

export type ValidatorOrigin = 'precompiled' | 'compiled at run time';

interface BuiltinValidator {
  readonly validate: ValidateFunction;
  readonly origin: ValidatorOrigin;
}

const loaded = new Map<CiName, BuiltinValidator | null>();

export function builtinSchemaFile(ci: CiName): string {
  return path.join(BUILTIN_SCHEMA_DIR, `${ci}.schema.json`);
}

export function precompiledFile(ci: CiName): string {
  return path.join(PRECOMPILED_DIR, `${ci}.js`);
}

/** Tells whether gen-ci ships a schema for this CI's pipelines. */
export function hasBuiltinSchema(ci: CiName): boolean {
  return builtinValidator(ci) !== undefined;
}

/** Returns how the validator for `ci` was obtained, for tests. */
export function builtinValidatorOrigin(
  ci: CiName,
): ValidatorOrigin | undefined {
  return builtinValidator(ci)?.origin;
}

function builtinValidator(ci: CiName): BuiltinValidator | undefined {
  if (!loaded.has(ci)) {
    loaded.set(ci, loadBuiltin(ci) ?? null);
  }
  return loaded.get(ci) ?? undefined;
}

function loadBuiltin(ci: CiName): BuiltinValidator | undefined {
  let text: string;
  try {
    text = fs.readFileSync(builtinSchemaFile(ci), 'utf8');
  } catch {
    return undefined;
  }
  const precompiled = loadPrecompiled(ci, sha256(text));
  if (precompiled) {
    return { validate: precompiled, origin: 'precompiled' };
  }
  const validate = compileSchema(JSON.parse(text), 'builtin');
  return { validate, origin: 'compiled at run time' };
}

type ValidatorIndex = Record<string, (() => ValidateFunction) | undefined>;

/**
 * Returns the loaders of the validators compiled at build time. The path
 * is a literal so that the bundle of the command line includes the
 * validators, and V8's code cache covers their code.
 */
function precompiledValidators(): ValidatorIndex {
  try {
    return require('../../dist/validators/index.js') as ValidatorIndex;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      return {};
    }
    throw error;
  }
}

function loadPrecompiled(
  ci: CiName,
  schemaHash: string,
): ValidateFunction | undefined {
  const load = precompiledValidators()[ci];
  const validate = load?.();
  const stamp = (validate as { schemaSha256?: unknown } | undefined)
    ?.schemaSha256;
  return stamp === schemaHash ? validate : undefined;
}

/** Validates a parsed file against gen-ci's own schema for its CI. */
export function checkBuiltinSchema(
  ci: CiName,
  file: string,
  parsed: ParsedYaml,
): Finding[] {
  const validator = builtinValidator(ci);
  if (!validator || validator.validate(parsed.value)) {
    return [];
  }
  return reduceSchemaErrors(validator.validate.errors ?? [], parsed.value).map(
    (problem) => ({
      file,
      ...locate(parsed, problem.instancePath),
      severity: 'error' as const,
      message: problem.message,
      rule: `schema-${ci}`,
    }),
  );
}
