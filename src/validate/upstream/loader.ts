/**
 * Finds the public schema for a CI (first in the `--schema-dir` folders,
 * then in the user cache) and returns its validator. The first use of a
 * schema compiles it and keeps the standalone code in the cache, keyed by
 * the schema's sha256 and the ajv version, so later runs only load it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { CiName } from '../../ci/platforms';
import { UsageError } from '../../errors';
import { writeScriptCache } from '../../code-cache';
import {
  ajvVersion,
  compileStandalone,
  loadStandalone,
  loadStandaloneCached,
  sha256,
  type CachedValidator,
} from '../schema-compile';
import { compiledDir, writeFileAtomically } from './cache';
import { upstreamSchemaFor, type UpstreamSchema } from './catalog';

export interface UpstreamValidator {
  readonly schema: UpstreamSchema;
  /** The schema file that was used. */
  readonly file: string;
  readonly from: 'schema-dir' | 'cache';
  readonly sha256: string;
  readonly validate: ValidateFunction;
}

export interface UpstreamOptions {
  /** Folders given with `--schema-dir`, searched in order. */
  readonly schemaDirs: readonly string[];
  readonly cacheDir: string;
  /** Receives debug messages, such as a cache write that failed. */
  readonly debug?: (message: string) => void;
}

interface SchemaFile {
  readonly file: string;
  readonly from: UpstreamValidator['from'];
}

/** Compiled code whose V8 cache data is missing or was rejected. */
interface UncachedCode {
  readonly loaded: CachedValidator;
  readonly cacheFile: string;
  readonly codeSha256: string;
}

export class UpstreamSchemas {
  private readonly loaded = new Map<CiName, UpstreamValidator | null>();
  private readonly uncached: UncachedCode[] = [];

  constructor(private readonly options: UpstreamOptions) {}

  /** The validator for `ci`, or undefined when no schema file is present. */
  get(ci: CiName): UpstreamValidator | undefined {
    if (!this.loaded.has(ci)) {
      this.loaded.set(ci, this.load(upstreamSchemaFor(ci)) ?? null);
    }
    return this.loaded.get(ci) ?? undefined;
  }

  private load(schema: UpstreamSchema): UpstreamValidator | undefined {
    const found = this.find(schema);
    if (!found) {
      return undefined;
    }
    const text = readSchemaText(found.file);
    const hash = sha256(text);
    const validate = this.compiled(schema, text, hash, found.file);
    return { schema, ...found, sha256: hash, validate };
  }

  private find(schema: UpstreamSchema): SchemaFile | undefined {
    for (const dir of this.options.schemaDirs) {
      for (const name of schema.dirNames) {
        const file = path.join(dir, name);
        if (fs.existsSync(file)) {
          return { file, from: 'schema-dir' };
        }
      }
    }
    const cached = path.join(this.options.cacheDir, schema.cacheName);
    return fs.existsSync(cached) ? { file: cached, from: 'cache' } : undefined;
  }

  /**
   * Writes V8's cache data for the compiled code that this run loaded
   * without it. Call it after validating: the data then also contains the
   * functions that validation compiled. A failed write is only logged.
   */
  saveCodeCache(): void {
    for (const entry of this.uncached.splice(0)) {
      try {
        writeScriptCache(
          entry.loaded.script,
          entry.cacheFile,
          entry.codeSha256,
        );
      } catch (error) {
        this.options.debug?.(
          `could not write ${entry.cacheFile}: ${String(error)}`,
        );
      }
    }
  }

  /** Loads the cached code for this schema, compiling it on first use. */
  private compiled(
    schema: UpstreamSchema,
    text: string,
    hash: string,
    file: string,
  ): ValidateFunction {
    const codeFile = compiledCodeFile(this.options.cacheDir, schema, hash);
    const cached = readCompiled(codeFile);
    if (cached) {
      return this.track(cached);
    }
    this.options.debug?.(`compiling ${file}; the code goes to ${codeFile}`);
    const code = compileOrReject(schema, text, file);
    try {
      writeFileAtomically(codeFile, code);
    } catch (error) {
      this.options.debug?.(
        `could not cache compiled ${schema.id} schema in ${codeFile}: ${String(error)}`,
      );
      return loadStandalone(code);
    }
    return this.track(runCompiled(code, codeFile));
  }

  private track(compiled: CompiledCode): ValidateFunction {
    if (!compiled.loaded.cacheUsed) {
      this.uncached.push({
        loaded: compiled.loaded,
        cacheFile: v8CacheFile(compiled.codeFile),
        codeSha256: sha256(compiled.code),
      });
    }
    return compiled.loaded.validate;
  }
}

/** Code read from or written to the cache, and how it loaded. */
interface CompiledCode {
  readonly code: string;
  readonly codeFile: string;
  readonly loaded: CachedValidator;
}

/** Returns the path of the V8 cache data of a compiled-code file. */
export function v8CacheFile(codeFile: string): string {
  return `${codeFile}.v8-cache`;
}

function runCompiled(code: string, codeFile: string): CompiledCode {
  const loaded = loadStandaloneCached(code, codeFile, v8CacheFile(codeFile));
  return { code, codeFile, loaded };
}

export function compiledCodeFile(
  cacheDir: string,
  schema: UpstreamSchema,
  hash: string,
): string {
  const name = `${schema.id}-${hash}-ajv${ajvVersion()}.js`;
  return path.join(compiledDir(cacheDir), name);
}

function readSchemaText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(
      'FILE_UNREADABLE',
      `cannot read schema ${file} (${code}); check its permissions`,
    );
  }
}

function readCompiled(codeFile: string): CompiledCode | undefined {
  try {
    return runCompiled(fs.readFileSync(codeFile, 'utf8'), codeFile);
  } catch {
    // Missing or damaged: compile again and overwrite it.
    return undefined;
  }
}

/** Compiles the schema text, or throws a UsageError naming the file. */
export function compileOrReject(
  schema: UpstreamSchema,
  text: string,
  file: string,
): string {
  try {
    return compileStandalone(JSON.parse(text), 'upstream');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      'SCHEMA_INVALID',
      `${file} is not a usable ${schema.id} JSON Schema (${reason.split('\n')[0]}); replace it or run gen-ci schemas update`,
    );
  }
}
