/**
 * Property tests of the two quoting functions that every value passes
 * through, and of the config file reader. YAML scalars read back as the
 * same string under YAML 1.1 and 1.2, and shell words reach a program byte
 * for byte. Any config text either parses or fails with a UsageError.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../src/config-file/parse';
import { UsageError } from '../src/errors';
import { shellWord } from '../src/render/shell';
import { yamlScalar } from '../src/render/yaml-scalar';
import { hostileString, shellSpecial, yamlSpecial } from './helpers/hostile';

/** Well-formed strings: lone surrogates cannot be written to a file. */
const WELL_FORMED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

const anyText = fc
  .oneof(
    hostileString,
    yamlSpecial,
    shellSpecial,
    fc.string({ unit: 'binary', maxLength: 12 }),
  )
  .filter((text) => WELL_FORMED.test(text));

describe('yamlScalar', () => {
  it('reads back unchanged under YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const document = `key: ${yamlScalar(value)}\nlist:\n  - ${yamlScalar(value)}\n`;
        for (const version of ['1.1', '1.2'] as const) {
          const read = parse(document, { version }) as { key: unknown; list: unknown[] };
          expect(read.key, version).toBe(value);
          expect(read.list, version).toEqual([value]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every scalar on one line', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        expect(yamlScalar(value)).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Runs printf with every word; returns what bash passed to it. */
function echoWords(values: readonly string[]): string[] {
  const words = values.map(shellWord).join(' ');
  // With stdin on a socket, bash would read ~/.bashrc as for rsh.
  const result = spawnSync('bash', ['-c', `printf '%s\\0' ${words}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

describe('shellWord', () => {
  it('reaches the program byte for byte', () => {
    const word = anyText.filter((text) => !text.includes('\0'));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 30 }), (values) => {
        expect(echoWords(values)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });
});

describe('config file reader', () => {
  it('parses any text or fails with a UsageError', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(fc.oneof(yamlSpecial, shellSpecial, fc.constantFrom('arch:', '\n', '  ', '- ', '&a ', '*a', '[', ']', '{', '}', ',')), { maxLength: 20 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (source) => {
        try {
          parseConfigText(source, 'gen-ci.yml', '/tmp');
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as UsageError).message).toMatch(/^gen-ci\.yml:\d+:\d+: /);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a quoted value back as written', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const source = [
          `branch: ${yamlScalar(value)}`,
          `build-arg:\n  - ${yamlScalar(`A=${value}`)}`,
          '',
        ].join('\n');
        const config = parseConfigText(source, 'gen-ci.yml', '/tmp');
        expect(config?.values.branch).toBe(value);
        expect(config?.values['build-arg']).toEqual([`A=${value}`]);
      }),
      { numRuns: 500 },
    );
  });
});
