import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerateOptions } from '../src/config';
import { CheckFailure, UsageError } from '../src/errors';
import { generate } from '../src/generate';
import { customTemplateDirs } from '../src/render/custom-templates';
import { BUILTIN_TEMPLATE_DIR } from '../src/render/templates';
import { runCli } from './helpers/cli';
import { tempTree } from './helpers/files';
import { thrown } from './helpers/errors';

const OPTIONS: GenerateOptions = { arch: ['arm64', 's390x'], ci: ['travis'] };

const BUILTIN_PARTIAL = fs.readFileSync(
  path.join(BUILTIN_TEMPLATE_DIR, 'partials', 'travis-job-header.hbs'),
  'utf8',
);
const BUILTIN_TRAVIS = fs.readFileSync(
  path.join(BUILTIN_TEMPLATE_DIR, 'travis.yml.hbs'),
  'utf8',
);

function travisWith(files: Record<string, string>): string {
  const dir = tempTree(files);
  const output = generate(OPTIONS, { templateDirs: customTemplateDirs(dir) });
  return output.find((file) => file.path === '.travis.yml')?.content ?? '';
}

function withoutHash(text: string): string {
  return text.replace(/^# gen-ci-body-sha256: .*\n/m, '');
}

describe('custom templates', () => {
  it('replaces one partial and keeps the rest', () => {
    const partial = BUILTIN_PARTIAL.replace(
      '  os: linux\n',
      '  # job header from the custom partial\n  os: linux\n',
    );
    const custom = travisWith({ 'partials/travis-job-header.hbs': partial });
    const builtin = generate(OPTIONS)[0].content;
    const lines = custom.split('\n');
    const added = lines.filter((line) => line.includes('custom partial'));
    // Two build jobs and the manifest job.
    expect(added).toEqual(Array(3).fill('      # job header from the custom partial'));
    const rest = lines.filter((line) => !line.includes('custom partial'));
    expect(withoutHash(rest.join('\n'))).toBe(withoutHash(builtin));
  });

  it('replaces a whole template', () => {
    const template = `${BUILTIN_TRAVIS}# end of the custom template\n`;
    const custom = travisWith({ 'travis.yml.hbs': template });
    expect(custom.endsWith('# end of the custom template\n')).toBe(true);
  });

  it('lets a custom template use a partial of its own', () => {
    const template = BUILTIN_TRAVIS.replace('os: linux\n', 'os: linux\n{{> site-note}}\n');
    const custom = travisWith({
      'travis.yml.hbs': template,
      'partials/site-note.hbs': '# built on {{comment dist}}\n',
    });
    expect(custom).toContain('os: linux\n# built on jammy\n');
  });

  it('checks custom output like built-in output', () => {
    const partial = `${BUILTIN_PARTIAL}  unknown_key: 1\n`;
    const error = thrown(() => travisWith({ 'partials/travis-job-header.hbs': partial }));
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as CheckFailure).code).toBe('OUTPUT_INVALID');
    expect((error as CheckFailure).message).toMatch(/^the templates in .* produced invalid output/);
    expect((error as CheckFailure).message).toContain('unknown_key');
  });

  it('rejects a template without the header', () => {
    const template = BUILTIN_TRAVIS.replace('{{#each header}}\n# {{comment this}}\n{{/each}}\n', '');
    const error = thrown(() => travisWith({ 'travis.yml.hbs': template }));
    expect((error as CheckFailure).code).toBe('OUTPUT_INVALID');
    expect((error as CheckFailure).message).toContain('.travis.yml must start with the gen-ci header');
  });

  it('rejects a file that replaces no built-in template', () => {
    const dir = tempTree({ 'travis.yaml.hbs': 'x' });
    const error = thrown(() => customTemplateDirs(dir));
    expect((error as UsageError).code).toBe('TEMPLATE_INVALID');
    expect((error as UsageError).message).toContain('did you mean "travis.yml.hbs"');
  });

  it('rejects a folder that does not exist', () => {
    const error = thrown(() => customTemplateDirs('/nonexistent/templates'));
    expect((error as UsageError).code).toBe('TEMPLATE_INVALID');
  });
});

describe('gen-ci --templates', () => {
  const partial = BUILTIN_PARTIAL.replace('  os: linux\n', '  # custom\n  os: linux\n');

  it('reads templates from the flag', () => {
    const dir = tempTree({ 'tpl/partials/travis-job-header.hbs': partial });
    const result = runCli(['--arch', 'arm64', '--templates', 'tpl', '--dry-run'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('      # custom\n');
  });

  it('reads templates from the config file, relative to it', () => {
    const dir = tempTree({
      'ci/gen-ci.yml': 'arch: [arm64]\ntemplates: tpl\n',
      'ci/tpl/partials/travis-job-header.hbs': partial,
    });
    const result = runCli(['--config', 'ci/gen-ci.yml', '--dry-run'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('      # custom\n');
  });
});
