/**
 * The generator runs the checks of `gen-ci validate` (gen-ci's own schema
 * and the lint rules) on its output and refuses to return output with
 * errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CI_NAMES } from '../src/ci/platforms';
import { resolveConfig, type GenerateOptions } from '../src/config';
import { CheckFailure } from '../src/errors';
import { generate } from '../src/generate';
import { STRATEGIES } from '../src/options';
import { customTemplateDirs } from '../src/render/custom-templates';
import { BUILTIN_TEMPLATE_DIR } from '../src/render/templates';
import { checkCiText } from '../src/validate/check-file';
import { detectCi } from '../src/validate/discover';
import { checkGeneratedFile } from '../src/validate/generated';
import { tempTree } from './helpers/files';

/** Returns the CIs of a strategy: legacy exists for Travis CI only. */
function cisFor(strategy: string): string[] {
  return strategy === 'legacy' ? ['travis'] : [...CI_NAMES];
}

const CASES: GenerateOptions[] = STRATEGIES.flatMap((strategy) => [
  {
    arch: ['ppc64le,s390x'],
    ci: cisFor(strategy),
    strategy,
    image: 'example/app',
  },
  { arch: ['arm/v6,arm/v7,arm64,riscv64'], ci: cisFor(strategy), strategy },
]);

describe('generated pipelines', () => {
  it.each(
    CASES.map(
      (options) => [`${options.strategy} ${options.arch}`, options] as const,
    ),
  )('pass every check without warnings: %s', (_, options) => {
    const files = generate(options);
    for (const file of files) {
      const ci = detectCi(file.path);
      if (!ci) {
        continue;
      }
      const companion = (name: string) =>
        files.find((other) => other.path === name)?.content;
      const report = checkCiText(file.path, file.content, ci, {
        builtin: 'always',
        lint: true,
        companion,
      });
      expect(report.findings, file.path).toEqual([]);
      expect(report.schemas, file.path).toEqual([`built-in ${ci}`]);
    }
  });

  it('pass legacy checks with their Dockerfiles', () => {
    const options = { arch: ['ppc64le'], ci: ['travis'], strategy: 'legacy' };
    const config = resolveConfig(options);
    const files = generate(options);
    const pipeline = files.find((file) => file.path === '.travis.yml');
    if (!pipeline) {
      throw new Error('no .travis.yml generated');
    }
    expect(checkGeneratedFile(config, pipeline, files)).toEqual([]);
  });
});

describe('generator output check', () => {
  const builtinTravis = fs.readFileSync(
    path.join(BUILTIN_TEMPLATE_DIR, 'travis.yml.hbs'),
    'utf8',
  );

  it('rejects output that only a lint rule catches', () => {
    // The manifest job runs s390x code, but only the build jobs register QEMU.
    const template = builtinTravis.replace(
      /(stage="manifest"[^\n]*\n\s+script:\n)/,
      '$1        - docker run --rm --platform linux/s390x alpine:3.22 uname -m\n',
    );
    expect(template).not.toBe(builtinTravis);
    const dir = tempTree({ 'travis.yml.hbs': template });
    let error: unknown;
    try {
      generate(
        { arch: ['s390x'], ci: ['travis'], strategy: 'emulated' },
        { templateDirs: customTemplateDirs(dir) },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as CheckFailure).code).toBe('OUTPUT_INVALID');
    expect((error as CheckFailure).message).toContain(
      '[qemu-registration-other-job]',
    );
  });
});
