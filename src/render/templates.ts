/**
 * The Handlebars environment that renders `templates/`. HTML escaping is
 * off, and templates reach values only through helpers that quote for the
 * context the value lands in, so a template cannot print a raw value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { yamlScalar } from './yaml-scalar';
import { shellWord } from './shell';

/** The folder of the built-in templates, shipped with the package. */
export const BUILTIN_TEMPLATE_DIR = path.join(__dirname, '..', '..', 'templates');

export type TemplateFunction = (context: object) => string;

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

function createEnvironment(): typeof Handlebars {
  const env = Handlebars.create();
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

const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Subfolder of each template folder that contains Handlebars partials. */
export const PARTIALS_DIR = 'partials';

/**
 * Registers every `partials/<name>.hbs` of `dirs` as partial `<name>`.
 * The first folder that has a partial wins, as for templates, so a user's
 * folder can replace one partial and keep the other built-in ones.
 */
function registerPartials(env: typeof Handlebars, dirs: readonly string[]) {
  for (const dir of [...dirs].reverse()) {
    const partialDir = path.join(dir, PARTIALS_DIR);
    if (!fs.existsSync(partialDir)) {
      continue;
    }
    for (const name of fs.readdirSync(partialDir).sort()) {
      if (name.endsWith('.hbs')) {
        const source = fs.readFileSync(path.join(partialDir, name), 'utf8');
        const partial = env.compile(source, COMPILE_OPTIONS);
        env.registerPartial(name.slice(0, -'.hbs'.length), partial);
      }
    }
  }
}

/** Loads and compiles templates by relative path, each at most once. */
export class TemplateSet {
  private readonly env = createEnvironment();
  private readonly cache = new Map<string, TemplateFunction>();

  constructor(private readonly dirs: readonly string[] = [BUILTIN_TEMPLATE_DIR]) {
    registerPartials(this.env, dirs);
  }

  get(relativePath: string): TemplateFunction {
    const cached = this.cache.get(relativePath);
    if (cached) {
      return cached;
    }
    const source = fs.readFileSync(this.locate(relativePath), 'utf8');
    const compiled = this.env.compile(source, COMPILE_OPTIONS);
    this.cache.set(relativePath, compiled);
    return compiled;
  }

  private locate(relativePath: string): string {
    for (const dir of this.dirs) {
      const candidate = path.join(dir, relativePath);
      if (fs.existsSync(candidate)) {
        return candidate;
      }
    }
    throw new Error(`template not found: ${relativePath}`);
  }
}
