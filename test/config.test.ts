import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigFile } from '../src/config-file/find';
import { layerArgs, locateInFile } from '../src/config-file/merge';
import { parseConfigText, type ConfigFile } from '../src/config-file/parse';
import { CONFIG_SCHEMA_FILE, configSchema, configSchemaText } from '../src/config-file/schema';
import { starterConfig } from '../src/config-file/starter';
import { UsageError } from '../src/errors';
import { resolveArchList } from '../src/arch/resolve';
import { listFiles, runCli } from './helpers/cli';
import { readText, tempTree } from './helpers/files';

const ROOT = path.join(__dirname, '..');

function read(text: string): ConfigFile {
  const config = parseConfigText(text, 'gen-ci.yml', '/repo');
  if (!config) {
    throw new Error('no config read');
  }
  return config;
}

function parseError(text: string): UsageError {
  try {
    read(text);
  } catch (error) {
    if (error instanceof UsageError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('config file values', () => {
  it('reads every option type', () => {
    const config = read(
      [
        'arch: [arm64, ppc64le]',
        'ci: travis',
        'image: example/app',
        'build-arg:',
        '  - VERSION=1.2',
        '  - URL=https://example.com/a,b',
        'strategy: native',
        'templates: ci/templates',
      ].join('\n'),
    );
    expect(config.values).toEqual({
      arch: ['arm64', 'ppc64le'],
      ci: ['travis'],
      image: 'example/app',
      'build-arg': ['VERSION=1.2', 'URL=https://example.com/a,b'],
      strategy: 'native',
      templates: 'ci/templates',
    });
  });

  it('keeps a comma string as one list item, as a flag does', () => {
    expect(read('arch: arm64,s390x').values.arch).toEqual(['arm64,s390x']);
  });

  it('reads an empty file as no values', () => {
    expect(read('').values).toEqual({});
    expect(read('# only a comment\n').values).toEqual({});
  });

  it('maps a github section onto the generator options', () => {
    const config = read(
      [
        'ci: [github, gitlab]',
        'runner: [gitlab:amd64=big]',
        'github:',
        '  workflow-name: images',
        '  pin-actions: sha',
        '  runners:',
        '    aarch64: my-arm-runner',
        'gitlab:',
        '  docker-version: "29.8"',
        '  runners: {arm64: arm-tag}',
      ].join('\n'),
    );
    expect(config.values).toEqual({
      ci: ['github', 'gitlab'],
      runner: ['gitlab:amd64=big', 'github:arm64=my-arm-runner', 'gitlab:arm64=arm-tag'],
      'workflow-name': 'images',
      'pin-actions': 'sha',
      'docker-version': '29.8',
    });
  });

  it('reads the "gen-ci" key of package.json', () => {
    const text = JSON.stringify({ name: 'app', 'gen-ci': { arch: ['s390x'] } }, null, 2);
    const config = parseConfigText(text, 'package.json', '/repo', { key: 'gen-ci' });
    expect(config?.values).toEqual({ arch: ['s390x'] });
  });

  it('returns nothing for package.json without the key', () => {
    const text = JSON.stringify({ name: 'gen-ci', bin: { 'gen-ci': 'x' } });
    expect(parseConfigText(text, 'package.json', '/repo', { key: 'gen-ci' })).toBeUndefined();
  });
});

const CONFIG_ERRORS: [string, string, string, RegExp][] = [
  ['unknown key', 'arch: [arm64]\narchs: [s390x]\n', 'CONFIG_UNKNOWN_KEY', /^gen-ci\.yml:2:1: unknown key "archs" \(did you mean "arch"\?\)/],
  ['unknown key in a section', 'github:\n  runner: {arm64: x}\n', 'CONFIG_UNKNOWN_KEY', /^gen-ci\.yml:2:3: unknown key "runner" in "github" \(did you mean "runners"\?\)/],
  ['key of another CI', 'travis:\n  workflow-name: x\n', 'CONFIG_UNKNOWN_KEY', /^gen-ci\.yml:2:3: .*"workflow-name" in "travis"/],
  ['number for a string', 'image: 5\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:8: "image" must be a string, not number; quote it/],
  ['map for a list', 'arch:\n  x: 1\n', 'CONFIG_INVALID', /^gen-ci\.yml:2:3: "arch" must be a list/],
  ['number in a list', 'arch: [arm64, 7]\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:15: "arch" must be a string/],
  ['empty value', 'image:\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:7: "image" has no value/],
  ['invalid choice', 'strategy: emulate\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:11: .*"emulate" \(did you mean "emulated"\?\)/],
  ['invalid CI in a list', 'ci: [travis, gitlub]\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:14: .*"gitlub" \(did you mean "gitlab"\?\)/],
  ['YAML syntax', 'arch: [arm64\n', 'CONFIG_INVALID', /^gen-ci\.yml:\d+:\d+: .*fix the syntax$/],
  ['duplicate key', 'arch: [arm64]\narch: [s390x]\n', 'CONFIG_INVALID', /^gen-ci\.yml:2:1: /],
  ['list at the top', '- arm64\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:1: the configuration must be a map/],
  ['unknown arch in runners', 'github:\n  runners:\n    arm65: x\n', 'ARCH_UNKNOWN', /^gen-ci\.yml:3:5: unknown architecture "arm65"/],
  ['runners not a map', 'github:\n  runners: [x]\n', 'CONFIG_INVALID', /^gen-ci\.yml:2:12: "github\.runners" must be a map/],
  ['top level and section', 'workflow-name: a\ngithub:\n  workflow-name: b\n', 'CONFIG_INVALID', /^gen-ci\.yml:1:16: "workflow-name" is set here and in "github\.workflow-name"/],
];

describe('config file errors', () => {
  it.each(CONFIG_ERRORS)('%s', (_, text, code, pattern) => {
    const error = parseError(text);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(pattern);
  });
});

describe('layering flags over the file', () => {
  it('lets a flag override the file and the file the default', () => {
    const file = read('arch: [s390x]\nstrategy: native\nbranch: release\n');
    const { args } = layerArgs({ branch: 'dev' }, file);
    expect(args).toMatchObject({
      arch: ['s390x'],
      strategy: 'native',
      branch: 'dev',
      'emulator-image': 'tonistiigi/binfmt:qemu-v8.1.5',
      emulatorImage: 'tonistiigi/binfmt:qemu-v8.1.5',
    });
  });

  it('resolves file paths against the file folder', () => {
    const dir = path.join(process.cwd(), 'repo', 'ci');
    const file = parseConfigText('dockerfile: ../Dockerfile\ntemplates: tpl\n', 'x', dir);
    const { args } = layerArgs({}, file);
    expect(args).toMatchObject({
      dockerfile: path.join('repo', 'Dockerfile'),
      templates: path.join('repo', 'ci', 'tpl'),
    });
  });

  it('points an error in a file value at its column', () => {
    const file = read('image: example/app\narch: arm64, ppc65le\n');
    const layered = layerArgs({}, file);
    let located: unknown;
    try {
      resolveArchList(layered.args.arch as string[]);
    } catch (error) {
      located = locateInFile(error, layered);
    }
    expect((located as UsageError).code).toBe('ARCH_UNKNOWN');
    expect((located as UsageError).message).toMatch(/^gen-ci\.yml:2:14: unknown architecture " ppc65le"/);
  });

  it('leaves an error in a flag value without a position', () => {
    const layered = layerArgs({ arch: ['ppc65le'] }, read('arch: [ppc65le]\n'));
    const error = new UsageError('ARCH_UNKNOWN', 'unknown architecture "ppc65le"');
    expect(locateInFile(error, layered)).toBe(error);
  });
});

describe('finding the config file', () => {
  it('finds .gen-ci.yml in the folder', () => {
    const dir = tempTree({ '.gen-ci.yml': 'arch: [s390x]\n' });
    expect(loadConfigFile(undefined, dir)?.values).toEqual({ arch: ['s390x'] });
  });

  it('rejects two config files in one folder', () => {
    const dir = tempTree({
      'gen-ci.yml': 'arch: [s390x]\n',
      'package.json': '{"gen-ci": {"arch": ["arm64"]}}',
    });
    expect(() => loadConfigFile(undefined, dir)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('ignores a package.json without gen-ci settings', () => {
    const dir = tempTree({ 'package.json': '{"name": "app"' });
    expect(loadConfigFile(undefined, dir)).toBeUndefined();
  });

  it('rejects a missing --config file', () => {
    expect(() => loadConfigFile('/nonexistent/gen-ci.yml', '.')).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
  });
});

describe('gen-ci with a config file', () => {
  it('uses the file and lets flags override it', () => {
    const dir = tempTree({ 'gen-ci.yml': 'arch: [s390x]\nimage: example/app\n' });
    const fromFile = runCli(['--dry-run'], dir);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toContain('==> Dockerfile.s390x <==');
    expect(fromFile.stdout).toContain('--image example/app');
    const overridden = runCli(['--arch', 'arm64', '--dry-run'], dir);
    expect(overridden.status).toBe(0);
    expect(overridden.stdout).toContain('==> Dockerfile.arm64 <==');
    expect(overridden.stdout).not.toContain('Dockerfile.s390x');
    expect(overridden.stdout).toContain('--image example/app');
  });

  it('lets a flag override a file value that has a default', () => {
    const dir = tempTree({ 'gen-ci.yml': 'arch: [s390x]\nbranch: release\n' });
    const fromFile = runCli(['--dry-run'], dir);
    expect(fromFile.stdout).toContain('--branch release');
    const overridden = runCli(['--branch', 'main', '--dry-run'], dir);
    expect(overridden.stdout).not.toContain('--branch');
  });

  it('reports an unknown key with its position, exit 2', () => {
    const dir = tempTree({ 'gen-ci.yml': 'image: example/app\narchs: [s390x]\n' });
    const result = runCli([], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'gen-ci: error: gen-ci.yml:2:1: unknown key "archs" (did you mean "arch"?); accepted keys: arch, ci, image, base, dockerfile, build-arg, strategy, emulator-image, branch, runner, docker-version, workflow-name, pin-actions, templates, travis, gitlab, github\n',
    );
    expect(listFiles(dir)).toEqual(['gen-ci.yml']);
  });

  it('points a rejected file value at its line', () => {
    const dir = tempTree({ 'gen-ci.yml': 'arch:\n  - arm64\n  - ppc65le\n' });
    const result = runCli([], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gen-ci: error: gen-ci\.yml:3:5: unknown architecture "ppc65le"/);
  });

  it('reads --config from another folder, with paths relative to it', () => {
    const dir = tempTree({
      'ci/gen-ci.yml': 'arch: [arm64]\ndockerfile: ../docker/Dockerfile\n',
      'docker/Dockerfile': 'FROM debian:bookworm\n',
    });
    const result = runCli(['--config', 'ci/gen-ci.yml', '--dry-run'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('FROM arm64v8/debian:bookworm');
  });

  it('rejects a missing --config file, exit 2', () => {
    const result = runCli(['--config', 'nope.yml'], tempTree());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nope.yml');
  });
});

describe('config schema', () => {
  const committed = path.join(ROOT, 'schemas', CONFIG_SCHEMA_FILE);

  it('committed file equals the generated schema', () => {
    // Run `npm run schema:update` when this fails after an option change.
    expect(fs.readFileSync(committed, 'utf8')).toBe(configSchemaText());
  });

  it('compiles under strict ajv', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(configSchema())).not.toThrow();
  });

  it('accepts the starter and the example, rejects unknown keys', () => {
    const validate = new Ajv({ allowUnionTypes: true }).compile(configSchema());
    expect(validate(parse(starterConfig({})))).toBe(true);
    expect(validate(parse(readText(ROOT, 'examples/basic/gen-ci.yml')))).toBe(true);
    expect(validate({ archs: ['arm64'] })).toBe(false);
    expect(validate({ github: { runners: { arm64: 'x' }, 'workflow-name': 'w' } })).toBe(true);
    expect(validate({ travis: { 'workflow-name': 'w' } })).toBe(false);
  });

  it('lists every key that the loader accepts', () => {
    const schema = configSchema() as { properties: Record<string, unknown> };
    const error = parseError('nope: 1\n');
    const accepted = /accepted keys: (.*)$/.exec(error.message)?.[1].split(', ');
    expect(Object.keys(schema.properties)).toEqual(accepted);
  });
});

describe('README config example', () => {
  const readme = readText(ROOT, 'README.md');
  const example = /## Config file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const starter = starterConfig({});

  it('starts with the starter schema line', () => {
    expect(example.split('\n')[0]).toBe(starter.split('\n')[0]);
  });

  it('uses only keys that the starter lists', () => {
    const values = parse(example) as Record<string, unknown>;
    expect(Object.keys(values).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(values)) {
      expect(starter, key).toMatch(new RegExp(`^(# )?${key}:`, 'm'));
      if (key !== 'github' && key !== 'gitlab' && key !== 'travis') {
        continue;
      }
      const section = starter.split(`\n# ${key}:\n`)[1]?.split('\n\n')[0] ?? '';
      for (const setting of Object.keys(value as object)) {
        expect(section, `${key}.${setting}`).toContain(`#   ${setting}:`);
      }
    }
  });

  it('generates without errors or warnings', () => {
    const dir = tempTree({ 'gen-ci.yml': example });
    const result = runCli(['--dry-run'], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
