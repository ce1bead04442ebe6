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
import type Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import type AjvDraft04 from 'ajv-draft-04';
import type addFormats from 'ajv-formats';
import type standaloneCode from 'ajv/dist/standalone';
import { compileScript, type CachedScript } from '../code-cache';

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

interface AjvCompiler {
  readonly Ajv: typeof Ajv;
  readonly AjvDraft04: typeof AjvDraft04;
  readonly addFormats: typeof addFormats;
  readonly standaloneCode: typeof standaloneCode;
}

let compiler: AjvCompiler | undefined;

/**
 * Loads ajv's compiler on first use. Loading it took about 30 ms on a
 * 2-core machine, and a run that finds every schema compiled never needs
 * it.
 */
function ajvCompiler(): AjvCompiler {
  compiler ??= {
    Ajv: require('ajv').default,
    AjvDraft04: require('ajv-draft-04').default,
    addFormats: require('ajv-formats').default,
    standaloneCode: require('ajv/dist/standalone').default,
  };
  return compiler;
}

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
  const { Ajv, AjvDraft04, addFormats } = ajvCompiler();
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
  return ajvCompiler().standaloneCode(ajv, validate);
}

/**
 * Evaluates standalone validator code as a CommonJS module whose
 * `require` resolves from gen-ci's own dependencies, so code kept in a
 * user cache folder finds ajv's runtime helpers.
 * NOTE: this runs code from a file; callers load only files that gen-ci
 * wrote itself, named by the hash of the schema they were compiled from.
 */
export function loadStandalone(code: string): ValidateFunction {
  const factory = new Function('require', 'module', 'exports', code);
  return runFactory(factory as ModuleFactory);
}

type ModuleFactory = (
  require: NodeJS.Require,
  module: { exports: unknown },
  exports: unknown,
) => void;

function runFactory(factory: ModuleFactory): ValidateFunction {
  const module = { exports: {} as unknown };
  factory(RUNTIME_REQUIRE, module, module.exports);
  const validate = module.exports as ValidateFunction;
  if (typeof validate !== 'function') {
    throw new Error('standalone validator code exports no function');
  }
  return validate;
}

export interface CachedValidator extends CachedScript {
  readonly validate: ValidateFunction;
}

/**
 * Evaluates standalone validator code as `loadStandalone` does, compiled
 * as `file` with the V8 cache data in `cacheFile` where that fits the
 * code (see code-cache.ts). Loading the compiled public schemas, about
 * 1.5 MB of code, takes tens of milliseconds without it.
 */
export function loadStandaloneCached(
  code: string,
  file: string,
  cacheFile: string,
): CachedValidator {
  const source = `(function (require, module, exports) {${code}\n})`;
  const compiled = compileScript(source, file, cacheFile, sha256(code));
  const factory = compiled.script.runInThisContext() as ModuleFactory;
  return { ...compiled, validate: runFactory(factory) };
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The ajv version, which is part of every compiled-code cache key. */
export function ajvVersion(): string {
  return (RUNTIME_REQUIRE('ajv/package.json') as { version: string }).version;
}
