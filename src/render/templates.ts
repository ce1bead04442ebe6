/**
 * The Handlebars environment that renders `templates/`. HTML escaping is
 * off, and templates reach values only through helpers that quote for the
 * context the value lands in, so a template cannot print a raw value.
 *
 * `npm run build` precompiles the built-in templates into
 * `dist/precompiled-templates.js` (scripts/precompile-templates.js), with
 * the sha256 of each source. A run renders that code with Handlebars'
 * runtime. It loads the compiler only for custom templates, or when the
 * precompiled code is missing or stale, such as when tests run from the
 * TypeScript sources right after a template edit.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Handlebars from 'handlebars';
import { UsageError } from '../errors';
import { readInputFile } from '../input-file';
import { PACKAGE_ROOT } from '../package-root';
import { yamlScalar } from './yaml-scalar';
import { shellWord } from './shell';

/** The folder of the built-in templates, shipped with the package. */
export const BUILTIN_TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'templates');

/** The build's precompiled built-in templates; see the file header. */
export const PRECOMPILED_TEMPLATES_FILE = path.join(
  PACKAGE_ROOT,
  'dist',
  'precompiled-templates.js',
);

export type TemplateFunction = (context: object) => string;

type Environment = typeof Handlebars;
type TemplateSpec = Parameters<Environment['template']>[0];

/** An entry of the precompiled module, keyed by relative path. */
export interface PrecompiledTemplate {
  /** sha256 of the source the spec was compiled from. */
  readonly sha256: string;
  readonly spec: TemplateSpec;
}

function requireString(value: unknown, helper: string): string {
  if (typeof value !== 'string') {
    throw new TypeError(
      `template helper "${helper}" expects a string, received ${typeof value}`,
    );
  }
  return value;
}

/** Text for a `#` comment line; a line break would end the comment. */
function commentText(value: string): string {
  if (/[\r\n\u2028\u2029\u0085]/.test(value)) {
    throw new TypeError(`comment text contains a line break: ${value}`);
  }
  return value;
}

/**
 * Creates an environment with gen-ci's helpers. Handlebars' runtime alone
 * loads in about half the time of the full package with its compiler
 * (12 ms against 23 ms, timed around require() on a 2-core machine).
 */
function createEnvironment(withCompiler: boolean): Environment {
  const base = (
    withCompiler ? require('handlebars') : require('handlebars/runtime')
  ) as Environment;
  const env = base.create();
  env.registerHelper('yaml', (value: unknown) =>
    yamlScalar(requireString(value, 'yaml')),
  );
  env.registerHelper('shell', (value: unknown) =>
    shellWord(requireString(value, 'shell')),
  );
  env.registerHelper('comment', (value: unknown) =>
    commentText(requireString(value, 'comment')),
  );
  return env;
}

/** Options for every compile; the precompiled code uses the same. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Subfolder of each template folder that contains Handlebars partials. */
export const PARTIALS_DIR = 'partials';

export function templateHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** Relative paths, with `/`, of the `.hbs` files below `dir`. */
export function listTemplates(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    const entries = fs.readdirSync(path.join(dir, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(child);
      } else if (entry.name.endsWith('.hbs')) {
        found.push(child);
      }
    }
  };
  walk('');
  return found.sort();
}

interface BuiltinSpecs {
  /** Specs whose source is unchanged since the build, by relative path. */
  readonly fresh: ReadonlyMap<string, TemplateSpec>;
  /** True when every built-in template has a fresh spec. */
  readonly complete: boolean;
}

let builtinSpecs: BuiltinSpecs | undefined;

/**
 * Loads PRECOMPILED_TEMPLATES_FILE. The path is a literal, relative to
 * `src/render` and `dist/render` alike, so that the bundle of the command
 * line includes the templates and V8's code cache covers their code.
 */
function readPrecompiled(): Record<string, PrecompiledTemplate> {
  try {
    return require('../../dist/precompiled-templates.js') as Record<
      string,
      PrecompiledTemplate
    >;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      return {};
    }
    throw error;
  }
}

/** Compares each built-in template with its precompiled spec, once. */
function loadBuiltinSpecs(): BuiltinSpecs {
  if (builtinSpecs) {
    return builtinSpecs;
  }
  const precompiled = readPrecompiled();
  const fresh = new Map<string, TemplateSpec>();
  const names = listTemplates(BUILTIN_TEMPLATE_DIR);
  for (const name of names) {
    const entry = precompiled[name];
    const file = path.join(BUILTIN_TEMPLATE_DIR, name);
    const source = fs.readFileSync(file, 'utf8');
    if (entry && entry.sha256 === templateHash(source)) {
      fresh.set(name, entry.spec);
    }
  }
  builtinSpecs = { fresh, complete: fresh.size === names.length };
  return builtinSpecs;
}

/**
 * Reads a user's template through readInputFile, so a FIFO, a folder, a
 * device or a file over MAX_INPUT_BYTES fails with FILE_UNREADABLE
 * instead of blocking or crashing the run.
 */
function readCustomTemplate(file: string): string {
  const input = readInputFile(file);
  if ('text' in input) {
    return input.text;
  }
  throw new UsageError(
    'FILE_UNREADABLE',
    `cannot read ${file}: it is a broken symbolic link or was removed; fix the link or remove it`,
  );
}

/**
 * Wraps a custom template so that its errors become TEMPLATE_INVALID
 * naming the file. Handlebars compiles on the first call, so a syntax
 * error, a partial that includes itself or a helper given no value all
 * surface while rendering. An inner file's UsageError passes through.
 */
function reportAsUserError(
  template: TemplateFunction,
  file: string,
): TemplateFunction {
  return ((...args: Parameters<TemplateFunction>) => {
    try {
      return template(...args);
    } catch (error) {
      if (error instanceof UsageError) {
        throw error;
      }
      const detail = error instanceof Error ? error.message : String(error);
      throw new UsageError(
        'TEMPLATE_INVALID',
        `custom template ${file} fails to render: ${detail.replace(/\s+/g, ' ')}; fix the template or remove it to use the built-in one`,
      );
    }
  }) as TemplateFunction;
}

/**
 * Loads templates by relative path, each at most once: built-in ones from
 * the precompiled code where it is fresh, the others compiled.
 */
export class TemplateSet {
  private readonly env: Environment;
  private readonly builtin = loadBuiltinSpecs();
  private readonly cache = new Map<string, TemplateFunction>();

  constructor(private readonly dirs: readonly string[] = [BUILTIN_TEMPLATE_DIR]) {
    const custom = dirs.some((dir) => dir !== BUILTIN_TEMPLATE_DIR);
    this.env = createEnvironment(custom || !this.builtin.complete);
    this.registerPartials();
  }

  get(relativePath: string): TemplateFunction {
    const cached = this.cache.get(relativePath);
    if (cached) {
      return cached;
    }
    const template = this.load(this.locate(relativePath), relativePath);
    this.cache.set(relativePath, template);
    return template;
  }

  /**
   * Registers every `partials/<name>.hbs` of the folders as partial
   * `<name>`. The first folder that has a partial wins, as for templates,
   * so a user's folder can replace one partial and keep the built-in rest.
   */
  private registerPartials(): void {
    for (const dir of [...this.dirs].reverse()) {
      const partialDir = path.join(dir, PARTIALS_DIR);
      if (!fs.existsSync(partialDir)) {
        continue;
      }
      for (const name of fs.readdirSync(partialDir).sort()) {
        if (name.endsWith('.hbs')) {
          const partial = this.load(dir, `${PARTIALS_DIR}/${name}`);
          this.env.registerPartial(name.slice(0, -'.hbs'.length), partial);
        }
      }
    }
  }

  private load(dir: string, relativePath: string): TemplateFunction {
    const spec =
      dir === BUILTIN_TEMPLATE_DIR
        ? this.builtin.fresh.get(relativePath)
        : undefined;
    if (spec) {
      return this.env.template(spec);
    }
    const file = path.join(dir, relativePath);
    if (dir !== BUILTIN_TEMPLATE_DIR) {
      const source = readCustomTemplate(file);
      return reportAsUserError(this.env.compile(source, COMPILE_OPTIONS), file);
    }
    return this.env.compile(fs.readFileSync(file, 'utf8'), COMPILE_OPTIONS);
  }

  /**
   * Returns the first folder with an entry at `relativePath`. It uses
   * lstat, so a broken link in a custom folder is found here and load()
   * reports it, instead of the built-in template being used.
   */
  private locate(relativePath: string): string {
    for (const dir of this.dirs) {
      const file = path.join(dir, relativePath);
      if (fs.lstatSync(file, { throwIfNoEntry: false })) {
        return dir;
      }
    }
    throw new Error(`template not found: ${relativePath}`);
  }
}
