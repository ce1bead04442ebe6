/**
 * What `npm run build` adds for fast cold starts: precompiled templates,
 * the bundled command line with V8's code cache, and V8 cache data for
 * the compiled public schemas. Each must give the same results as the
 * slow path it replaces, and fall back to that path when it is missing
 * or stale.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, loadBundle } from '../src/bundle-loader';
import { compileScript, sha256Hex, writeScriptCache } from '../src/code-cache';
import type { GenerateOptions } from '../src/config';
import { generate } from '../src/generate';
import {
  BUILTIN_TEMPLATE_DIR,
  listTemplates,
  PRECOMPILED_TEMPLATES_FILE,
  templateHash,
  type PrecompiledTemplate,
} from '../src/render/templates';
import {
  UpstreamSchemas,
  v8CacheFile,
} from '../src/validate/upstream/loader';
import { tempDir } from './helpers/cli';
import { writeTree } from './helpers/files';

const ROOT = path.join(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'cli.bundle.js');

const ALL_CIS: GenerateOptions = {
  arch: ['amd64', 'arm64', 'arm/v7', 'ppc64le', 's390x'],
  ci: ['travis', 'gitlab', 'github'],
  image: 'example/app',
  buildArgs: ['VERSION=1.0.0'],
};

describe('precompiled templates', () => {
  it('cover every built-in template, fresh', () => {
    expect(
      fs.existsSync(PRECOMPILED_TEMPLATES_FILE),
      `${PRECOMPILED_TEMPLATES_FILE}: run npm run build`,
    ).toBe(true);
    const precompiled = require(PRECOMPILED_TEMPLATES_FILE) as Record<
      string,
      PrecompiledTemplate
    >;
    for (const name of listTemplates(BUILTIN_TEMPLATE_DIR)) {
      const source = fs.readFileSync(
        path.join(BUILTIN_TEMPLATE_DIR, name),
        'utf8',
      );
      expect(precompiled[name]?.sha256, name).toBe(templateHash(source));
    }
  });

  it('render the bytes that compiling at run time renders', () => {
    // A copy of the built-in folder is a custom folder, which gen-ci
    // compiles with the Handlebars compiler.
    const copy = tempDir();
    fs.cpSync(BUILTIN_TEMPLATE_DIR, copy, { recursive: true });
    const precompiled = generate(ALL_CIS);
    const compiled = generate(ALL_CIS, { templateDirs: [copy] });
    expect(compiled).toEqual(precompiled);
  });
});

describe('code cache', () => {
  const source = '(function () { return 6 * 7; })';

  function cacheFor(text: string): string {
    const file = path.join(tempDir(), 'code.cache');
    const { script } = compileScript(text, 'code.js', file, sha256Hex(text));
    (script.runInThisContext() as () => number)();
    writeScriptCache(script, file, sha256Hex(text));
    return file;
  }

  it('uses data written for the same source', () => {
    const file = cacheFor(source);
    const loaded = compileScript(source, 'code.js', file, sha256Hex(source));
    expect(loaded.cacheUsed).toBe(true);
    expect((loaded.script.runInThisContext() as () => number)()).toBe(42);
  });

  it('ignores data written for other source', () => {
    const file = cacheFor(source);
    const other = '(function () { return 6 * 8; })';
    const loaded = compileScript(other, 'code.js', file, sha256Hex(other));
    expect(loaded.cacheUsed).toBe(false);
    expect((loaded.script.runInThisContext() as () => number)()).toBe(48);
  });

  it('compiles without a cache file or with a damaged one', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'missing.cache');
    const damaged = path.join(dir, 'damaged.cache');
    fs.writeFileSync(damaged, 'not a cache');
    for (const file of [missing, damaged]) {
      const loaded = compileScript(source, 'code.js', file, sha256Hex(source));
      expect(loaded.cacheUsed, file).toBe(false);
      expect((loaded.script.runInThisContext() as () => number)()).toBe(42);
    }
  });
});

describe('bundled command line', () => {
  it('loads with the code cache that the build wrote', () => {
    expect(fs.existsSync(BUNDLE), `${BUNDLE}: run npm run build`).toBe(true);
    expect(fs.existsSync(codeCacheFile(BUNDLE))).toBe(true);
    // A new process, so that the V8 flags are Node.js's defaults, as for
    // bin/gen-ci.js.
    const script = [
      `const { loadBundle } = require(${JSON.stringify(path.join(ROOT, 'dist', 'bundle-loader.js'))});`,
      `const loaded = loadBundle(${JSON.stringify(BUNDLE)});`,
      'console.log(loaded.cacheUsed, typeof loaded.exports.main);',
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true function\n');
  });

  it('runs a copy whose cache belongs to another bundle', () => {
    // The bundle reads its version from package.json beside dist/.
    const dir = tempDir();
    fs.copyFileSync(
      path.join(ROOT, 'package.json'),
      path.join(dir, 'package.json'),
    );
    fs.mkdirSync(path.join(dir, 'dist'));
    const copy = path.join(dir, 'dist', 'cli.bundle.js');
    // V8 checks only the length of the source, so keep it: edit the text
    // of a message.
    const code = fs.readFileSync(BUNDLE, 'utf8');
    const edited = code.replace('internal error', 'INTERNAL ERROR');
    expect(edited.length).toBe(code.length);
    expect(edited).not.toBe(code);
    fs.writeFileSync(copy, edited);
    fs.copyFileSync(codeCacheFile(BUNDLE), codeCacheFile(copy));
    const loaded = loadBundle(copy);
    expect(loaded.cacheUsed).toBe(false);
    expect(typeof (loaded.exports as { main?: unknown }).main).toBe(
      'function',
    );
  });
});

describe('compiled public schemas', () => {
  const schema = JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['language'],
  });

  function upstream(schemaDir: string, cacheDir: string) {
    return new UpstreamSchemas({ schemaDirs: [schemaDir], cacheDir });
  }

  it('keep V8 cache data next to the compiled code', () => {
    const schemaDir = writeTree(tempDir(), { 'travis.json': schema });
    const cacheDir = tempDir();
    const first = upstream(schemaDir, cacheDir);
    const validator = first.get('travis');
    expect(validator?.validate({ language: 'c' })).toBe(true);
    expect(validator?.validate({})).toBe(false);
    first.saveCodeCache();

    const compiled = path.join(cacheDir, 'compiled');
    const codeFiles = fs
      .readdirSync(compiled)
      .filter((name) => name.endsWith('.js'));
    expect(codeFiles).toHaveLength(1);
    const codeFile = path.join(compiled, codeFiles[0]);
    const cache = fs.readFileSync(v8CacheFile(codeFile));
    const header = JSON.parse(cache.subarray(0, cache.indexOf(10)).toString());
    expect(header.sourceSha256).toBe(
      sha256Hex(fs.readFileSync(codeFile, 'utf8')),
    );

    const second = upstream(schemaDir, cacheDir).get('travis');
    expect(second?.validate({ language: 'c' })).toBe(true);
    expect(second?.validate({})).toBe(false);
  });

  it('validate with damaged V8 cache data', () => {
    const schemaDir = writeTree(tempDir(), { 'travis.json': schema });
    const cacheDir = tempDir();
    upstream(schemaDir, cacheDir).get('travis');
    const compiled = path.join(cacheDir, 'compiled');
    const codeFile = path.join(compiled, fs.readdirSync(compiled)[0]);
    fs.writeFileSync(v8CacheFile(codeFile), '{"sourceSha256":"0"}\ngarbage');
    const validator = upstream(schemaDir, cacheDir).get('travis');
    expect(validator?.validate({})).toBe(false);
  });
});
