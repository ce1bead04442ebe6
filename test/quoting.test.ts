import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { yamlScalar } from '../src/render/yaml-scalar';
import { sh, shellCommand, shellText, shellWord } from '../src/render/shell';

const TRICKY = [
  'ENABLE=on',
  'RELEASE=1.20',
  "URL=https://m.example/p?k=v&x='y'",
  'on',
  'ON',
  'Off',
  'yes',
  'No',
  'y',
  'n',
  'true',
  'False',
  'null',
  'NULL',
  '~',
  '',
  '1.20',
  '1.0',
  '0755',
  '0o755',
  '0x1F',
  '1:30',
  '190:20:30',
  '1_000',
  '.inf',
  '-.Inf',
  '.NaN',
  '2024-01-01',
  '- item',
  '? key',
  ': value',
  '# comment',
  'a: b',
  'a #b',
  '&anchor',
  '*alias',
  '!tag',
  '|',
  '>',
  '%directive',
  '@at',
  '`tick`',
  '"double"',
  "'single'",
  '[flow]',
  '{flow}',
  ' leading',
  'trailing ',
  'tab\there',
  'line\nbreak',
  'back\\slash',
  'caf\u00e9 \u{1F600}',
  '\u2028',
  '<<',
  '=',
  '$(id)',
  'a;b',
];

describe('yamlScalar', () => {
  it.each(TRICKY)('reads back %j under YAML 1.1 and 1.2', (value) => {
    const text = `key: ${yamlScalar(value)}\n`;
    expect(parse(text, { version: '1.2' })).toEqual({ key: value });
    expect(parse(text, { version: '1.1' })).toEqual({ key: value });
  });

  it('leaves simple words plain', () => {
    expect(yamlScalar('docker')).toBe('docker');
    expect(yamlScalar('linux/arm/v7')).toBe('linux/arm/v7');
  });

  it('quotes YAML 1.1 booleans', () => {
    expect(yamlScalar('on')).not.toBe('on');
    expect(yamlScalar('ENABLE=on')).toBe('ENABLE=on');
  });
});

function echoThroughShell(command: string): string {
  return execFileSync('sh', ['-c', command], { encoding: 'utf8' });
}

describe('shellWord', () => {
  const values = TRICKY.filter((value) => !value.includes('\0'));

  it.each(values)('passes %j to a command as one literal word', (value) => {
    const output = echoThroughShell(`printf '%s|' ${shellWord(value)}`);
    expect(output).toBe(`${value}|`);
  });

  it('quotes the empty string', () => {
    expect(shellWord('')).toBe("''");
  });

  it('keeps command substitution literal', () => {
    const output = echoThroughShell(sh`printf %s ${'$(echo pwned)'}`);
    expect(output).toBe('$(echo pwned)');
  });
});

describe('sh and shellCommand', () => {
  it('interpolates shell text unquoted', () => {
    expect(sh`echo ${shellText('"$HOME"')} ${'a b'}`).toBe(`echo "$HOME" 'a b'`);
  });

  it('expands arrays to several words', () => {
    expect(sh`ls ${['a', 'b c']}`).toBe("ls a 'b c'");
  });

  it('drops empty lists without double spaces', () => {
    expect(shellCommand('docker', [], 'build', ['--tag', 'x'])).toBe(
      'docker build --tag x',
    );
  });
});
