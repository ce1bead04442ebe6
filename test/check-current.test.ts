/**
 * `--check` compares the output with the disk. When the output is on disk
 * already, gen-ci's checks of it are skipped: this version wrote those
 * bytes, and it writes only checked output. Other runs check as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { renderFromConfig } from '../src/generate';
import { customTemplateDirs } from '../src/render/custom-templates';
import { BUILTIN_TEMPLATE_DIR } from '../src/render/templates';
import { runCli, tempDir } from './helpers/cli';
import { tempTree, writeTree } from './helpers/files';

const ARGS = ['--arch', 'arm64,s390x', '--ci', 'travis', '--image', 'example/app'];

/** Templates whose Travis CI output fails the built-in schema. */
function invalidTemplates(): string {
  const partial = fs.readFileSync(
    path.join(BUILTIN_TEMPLATE_DIR, 'partials', 'travis-job-header.hbs'),
    'utf8',
  );
  return tempTree({
    'partials/travis-job-header.hbs': `${partial}  unknown_key: 1\n`,
  });
}

/** Writes the unchecked output of `templates` into a new folder. */
function folderWithUncheckedOutput(templates: string): string {
  const config = resolveConfig({
    arch: ['arm64', 's390x'],
    ci: ['travis'],
    image: 'example/app',
  });
  const { files } = renderFromConfig(config, {
    templateDirs: customTemplateDirs(templates),
  });
  return writeTree(
    tempDir(),
    Object.fromEntries(files.map((file) => [file.path, file.content])),
  );
}

describe('--check and the output checks', () => {
  it('does not check output that is on disk already', () => {
    const templates = invalidTemplates();
    const out = folderWithUncheckedOutput(templates);
    const args = [...ARGS, '--templates', templates, '--out', out];
    const result = runCli([...args, '--check'], out);
    expect(result.stderr).toContain('up to date');
    expect(result.status).toBe(0);
  });

  it('checks output that differs from the disk', () => {
    const templates = invalidTemplates();
    const out = folderWithUncheckedOutput(templates);
    fs.appendFileSync(path.join(out, '.travis.yml'), '# edited\n');
    const args = [...ARGS, '--templates', templates, '--out', out];
    const result = runCli([...args, '--check'], out);
    expect(result.stderr).toContain('produced invalid output');
    expect(result.stderr).toContain('unknown_key');
    expect(result.status).not.toBe(0);
  });

  it('checks output before writing it over the same bytes', () => {
    const templates = invalidTemplates();
    const out = folderWithUncheckedOutput(templates);
    const args = [...ARGS, '--templates', templates, '--out', out];
    const result = runCli(args, out);
    expect(result.stderr).toContain('produced invalid output');
    expect(result.status).not.toBe(0);
  });
});
