/**
 * Compiles JSON Schemas to ajv standalone validator code, and loads such
 * code. Compiling the public CI schemas takes 100-350 ms; loading the
 * compiled code takes a few milliseconds, so gen-ci compiles once (at
 * build time for its own schemas, on first use for downloaded ones) and
 * loads the code afterwards. The code is CommonJS: ajv's ESM standalone
 * output still calls `require()` for its runtime helpers.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';

/**
 * `builtin`: gen-ci's own schemas, compiled in strict mode so that a typo
 * in a keyword fails the build. `upstream`: third-party schemas, which
 * ajv's strict mode rejects (SchemaStore lists them as not strict).
 */
export type CompileMode = 'builtin' | 'upstream';

const DRAFT_04 = /^https?:\/\/json-schema\.org\/draft-04\/schema#?$/;

/** Editor-only keywords that the public CI schemas use. */
const ANNOTATION_KEYWORDS = ['markdownDescription', 'markdownEnumDescriptions'];

/** Code that the loader's `require` must resolve; see `loadStandalone`. */
const RUNTIME_REQUIRE = createRequire(__filename);

function ajvOptions(mode: CompileMode): Options {
  return {
    allErrors: true,
    strict: mode === 'builtin',
    logger: false,
    code: { source: true },
  };
}

export function isDraft04(schema: unknown): boolean {
  const declared = (schema as { $schema?: unknown } | null)?.$schema;
  return typeof declared === 'string' && DRAFT_04.test(declared);
}

/** Creates an ajv instance for the schema's own draft (04 or 07). */
function createAjv(schema: unknown, mode: CompileMode): Ajv {
  const options = ajvOptions(mode);
  const ajv = isDraft04(schema)
    ? (new AjvDraft04(options) as unknown as Ajv)
    : new Ajv(options);
  addFormats(ajv);
  if (mode === 'upstream') {
    for (const keyword of ANNOTATION_KEYWORDS) {
      ajv.addKeyword(keyword);
    }
  }
  return ajv;
}

/** Compiles `schema` for use in this process. Throws on an invalid schema. */
export function compileSchema(
  schema: unknown,
  mode: CompileMode,
): ValidateFunction {
  return createAjv(schema, mode).compile(schema as object);
}

/** Compiles `schema` to CommonJS standalone validator code. */
export function compileStandalone(schema: unknown, mode: CompileMode): string {
  const ajv = createAjv(schema, mode);
  const validate = ajv.compile(schema as object);
  return standaloneCode(ajv, validate);
}

/**
 * Evaluates standalone validator code as a CommonJS module whose
 * `require` resolves from gen-ci's own dependencies, so code kept in a
 * user cache folder finds ajv's runtime helpers.
 * NOTE: this runs code from a file; callers load only files that gen-ci
 * wrote itself, named by the hash of the schema they were compiled from.
 */
export function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  const factory = new Function('require', 'module', 'exports', code);
  factory(RUNTIME_REQUIRE, module, module.exports);
  const validate = module.exports as ValidateFunction;
  if (typeof validate !== 'function') {
    throw new Error('standalone validator code exports no function');
  }
  return validate;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The ajv version, which is part of every compiled-code cache key. */
export function ajvVersion(): string {
  return (RUNTIME_REQUIRE('ajv/package.json') as { version: string }).version;
}
