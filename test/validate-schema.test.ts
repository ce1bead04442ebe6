import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import {
  builtinSchemaFile,
  builtinValidatorOrigin,
  precompiledFile,
} from '../src/validate/builtin-schemas';
import type { Finding } from '../src/validate/findings';
import {
  compileSchema,
  isDraft04,
  loadStandalone,
  compileStandalone,
  sha256,
} from '../src/validate/schema-compile';
import { reduceSchemaErrors } from '../src/validate/schema-errors';
import {
  applyKnownFalsePositives,
  KNOWN_FALSE_POSITIVES,
  type CheckerResult,
} from '../src/validate/upstream-false-positives';
import {
  compiledCodeFile,
  UpstreamSchemas,
} from '../src/validate/upstream/loader';
import { upstreamSchemaFor } from '../src/validate/upstream/catalog';
import { tempDir } from './helpers/cli';

describe('built-in schemas', () => {
  const cis = ['travis', 'gitlab', 'github'] as const;

  it('load the validators compiled at build time', () => {
    for (const ci of cis) {
      expect(
        fs.existsSync(precompiledFile(ci)),
        `${precompiledFile(ci)}: run npm run build`,
      ).toBe(true);
      expect(builtinValidatorOrigin(ci)).toBe('precompiled');
    }
  });

  it('stamp the compiled code with the schema hash', () => {
    for (const ci of cis) {
      const code = fs.readFileSync(precompiledFile(ci), 'utf8');
      const hash = sha256(fs.readFileSync(builtinSchemaFile(ci), 'utf8'));
      expect(code).toContain(`module.exports.schemaSha256 = "${hash}"`);
    }
  });

  it('compile to CommonJS code without ESM syntax', () => {
    const code = fs.readFileSync(precompiledFile('travis'), 'utf8');
    expect(code).toMatch(/^"use strict";module\.exports = /);
    expect(code).not.toMatch(/^import /m);
  });
});

function problems(schema: object, data: unknown) {
  const validate = compileSchema(schema, 'upstream');
  validate(data);
  return reduceSchemaErrors(validate.errors ?? [], data).map(
    (problem) => problem.message,
  );
}

describe('schema error reduction', () => {
  const envEntry = {
    oneOf: [
      { type: 'string' },
      {
        type: 'object',
        properties: { secure: { type: 'string' } },
        additionalProperties: false,
      },
    ],
  };

  it('keeps the alternative that matches the value type', () => {
    expect(problems(envEntry, { fast_finish: true })).toEqual([
      '/ must NOT have additional properties (fast_finish)',
    ]);
  });

  it('lists the accepted types when none matches', () => {
    expect(problems(envEntry, 3)).toEqual(['/ must be string or object']);
  });

  it('keeps only the deeper errors of nested alternatives', () => {
    const schema = {
      type: 'object',
      properties: {
        env: { oneOf: [envEntry, { type: 'array', items: envEntry }] },
      },
    };
    expect(problems(schema, { env: ['A=1', { x: 1 }] })).toEqual([
      '/env/1 must NOT have additional properties (x)',
    ]);
  });

  it('merges constant alternatives into one list', () => {
    const schema = { anyOf: [{ const: 'always' }, { const: 'never' }] };
    expect(problems(schema, 'sometimes')).toEqual([
      '/ must be equal to one of the allowed values (always, never)',
    ]);
  });

  it('merges required alternatives', () => {
    const schema = { anyOf: [{ required: ['run'] }, { required: ['uses'] }] };
    expect(problems(schema, {})).toEqual([
      "/ must have one of the properties 'run', 'uses'",
    ]);
  });

  it('drops an enum of another type than the value', () => {
    const schema = {
      oneOf: [
        { enum: ['read-all', 'write-all'] },
        {
          type: 'object',
          additionalProperties: false,
          properties: { contents: {} },
        },
      ],
    };
    expect(problems(schema, { files: 'read' })).toEqual([
      '/ must NOT have additional properties (files)',
    ]);
  });

  it('keeps every finding on one line', () => {
    const schema = { type: 'string', pattern: '^a(.|[\n])*$' };
    const [message] = problems(schema, 'b');
    expect(message).not.toContain('\n');
    expect(message).toContain('\\n');
  });
});

describe('schema compilation', () => {
  it('detects draft-04 schemas', () => {
    expect(
      isDraft04({ $schema: 'http://json-schema.org/draft-04/schema#' }),
    ).toBe(true);
    expect(
      isDraft04({ $schema: 'http://json-schema.org/draft-07/schema#' }),
    ).toBe(false);
  });

  it('compiles draft-04 exclusiveMaximum as a boolean', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'number',
      maximum: 3,
      exclusiveMaximum: true,
    };
    const validate = loadStandalone(compileStandalone(schema, 'upstream'));
    expect(validate(2)).toBe(true);
    expect(validate(3)).toBe(false);
  });

  it('accepts editor keywords in public schemas', () => {
    const schema = {
      type: 'string',
      markdownDescription: 'text',
      format: 'uri',
    };
    const validate = loadStandalone(compileStandalone(schema, 'upstream'));
    expect(validate('https://example.com')).toBe(true);
    expect(validate('not a uri')).toBe(false);
  });
});

const TINY_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['language'],
});

function schemaDirWith(files: Record<string, string>): string {
  const dir = tempDir('gen-ci-schemas-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('public schema loader', () => {
  it('compiles a schema once and then loads its cached code', () => {
    const schemaDir = schemaDirWith({ 'travis.json': TINY_SCHEMA });
    const cacheDir = tempDir('gen-ci-cache-');
    const messages: string[] = [];
    const first = new UpstreamSchemas({
      schemaDirs: [schemaDir],
      cacheDir,
      debug: (m) => messages.push(m),
    });
    expect(first.get('travis')?.validate({})).toBe(false);
    const codeFile = compiledCodeFile(
      cacheDir,
      upstreamSchemaFor('travis'),
      sha256(TINY_SCHEMA),
    );
    expect(fs.existsSync(codeFile)).toBe(true);
    expect(messages).toHaveLength(1);
    const second = new UpstreamSchemas({
      schemaDirs: [schemaDir],
      cacheDir,
      debug: (m) => messages.push(m),
    });
    expect(second.get('travis')?.validate({ language: 'shell' })).toBe(true);
    expect(messages).toHaveLength(1);
  });

  it('prefers --schema-dir to the cache', () => {
    const cacheDir = schemaDirWith({ 'gitlab-ci.json': TINY_SCHEMA });
    const schemaDir = schemaDirWith({ 'ci.json': '{"type": "object"}' });
    const loader = new UpstreamSchemas({ schemaDirs: [schemaDir], cacheDir });
    const validator = loader.get('gitlab');
    expect(validator?.from).toBe('schema-dir');
    expect(validator?.file).toBe(path.join(schemaDir, 'ci.json'));
  });

  it('falls back to the cache, and to nothing', () => {
    const cacheDir = schemaDirWith({ 'github-workflow.json': TINY_SCHEMA });
    const loader = new UpstreamSchemas({ schemaDirs: [], cacheDir });
    expect(loader.get('github')?.from).toBe('cache');
    expect(loader.get('travis')).toBeUndefined();
  });

  it('rejects a file that is not a JSON Schema', () => {
    const schemaDir = schemaDirWith({ 'travis.json': '{"type": 12}' });
    const loader = new UpstreamSchemas({
      schemaDirs: [schemaDir],
      cacheDir: tempDir(),
    });
    let error: unknown;
    try {
      loader.get('travis');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('SCHEMA_INVALID');
  });
});

function result(
  overrides: Partial<CheckerResult>,
  message = 'm',
): CheckerResult {
  const finding: Finding = {
    file: 'f',
    line: 1,
    column: 1,
    severity: 'error',
    message,
    rule: 'r',
  };
  return { source: 'travis', keyword: 'x', finding, ...overrides };
}

describe('known false positives', () => {
  it('downgrade map-form Travis env entries to warnings', () => {
    const [finding] = applyKnownFalsePositives([
      result({ path: '/env/global/0', keyword: 'additionalProperties' }),
    ]);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('known false positive');
  });

  it('leave other Travis errors alone', () => {
    const [finding] = applyKnownFalsePositives([
      result({ path: '/addons/apt', keyword: 'additionalProperties' }),
    ]);
    expect(finding.severity).toBe('error');
  });

  it('drop actionlint runner labels and the vars context', () => {
    const kept = applyKnownFalsePositives([
      result({ source: 'actionlint', keyword: 'runner-label' }),
      result(
        { source: 'actionlint', keyword: 'expression' },
        'undefined variable "vars". available variables are "env"',
      ),
      result(
        { source: 'actionlint', keyword: 'expression' },
        'property "x" is not defined',
      ),
    ]);
    expect(kept.map((finding) => finding.message)).toEqual([
      'property "x" is not defined',
    ]);
  });

  it('give a reason and an action for every entry', () => {
    for (const entry of KNOWN_FALSE_POSITIVES) {
      expect(entry.reason.length).toBeGreaterThan(20);
      expect(['suppress', 'warn']).toContain(entry.action);
    }
  });
});
