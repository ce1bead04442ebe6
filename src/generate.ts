/**
 * The core: from options to the list of files to write. It reads no file
 * and writes nothing; the caller passes file contents in and hands the
 * result to a writer.
 */
import type { ArchRecord } from './arch/types';
import {
  resolveConfig,
  type GenerateOptions,
  type ResolvedConfig,
} from './config';
import { deriveDockerfile, parseDockerfile } from './dockerfile/derive';
import { CheckFailure, UsageError } from './errors';
import { headerLines } from './header';
import { createPlan, dockerfileName, type Plan } from './plan';
import { BUILTIN_TEMPLATE_DIR, TemplateSet } from './render/templates';
import { TARGETS } from './targets';
import { legacyQemuStage } from './targets/steps';
import type { GeneratedFile, RenderContext } from './targets/types';
import { checkGeneratedFile } from './validate/generated';
import { compareText, formatFinding } from './validate/findings';

export interface GenerateSettings {
  /** Folders searched for templates before the built-in ones. */
  readonly templateDirs?: readonly string[];
}

export interface GenerateResult {
  readonly files: GeneratedFile[];
  readonly plan: Plan;
  readonly warnings: string[];
}

function renderDockerfile(
  config: ResolvedConfig,
  arch: ArchRecord,
  header: readonly string[],
): GeneratedFile {
  const content = deriveDockerfile({
    source: config.dockerfile,
    base: config.base,
    arch,
    buildArgs: config.buildArgs.map((arg) => arg.key),
    header,
    legacyQemu:
      config.strategy === 'legacy' ? legacyQemuStage(arch) : undefined,
  });
  return { path: dockerfileName(arch), content };
}

function renderAll(plan: Plan, context: RenderContext): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const ciPlan of plan.cis) {
    const target = TARGETS[ciPlan.ci];
    if (!target) {
      throw new UsageError(
        'CI_UNKNOWN',
        `--ci ${ciPlan.ci} is not supported yet; use --ci travis`,
      );
    }
    files.push(target.render(ciPlan, context));
  }
  for (const arch of plan.config.arches) {
    files.push(renderDockerfile(plan.config, arch, context.header));
  }
  return files;
}

/** Fails when gen-ci's own output does not pass its own checks. */
function checkOutput(plan: Plan, files: readonly GeneratedFile[]): void {
  const errors = files.flatMap((file) =>
    checkGeneratedFile(plan.config, file).filter(
      (finding) => finding.severity === 'error',
    ),
  );
  if (errors.length > 0) {
    throw new CheckFailure(
      'OUTPUT_INVALID',
      `gen-ci produced invalid output, which is a bug in gen-ci; nothing was written:\n${errors.map(formatFinding).join('\n')}`,
    );
  }
}

/** Renders and checks every file for an already resolved config. */
export function generateFromConfig(
  config: ResolvedConfig,
  settings: GenerateSettings = {},
): GenerateResult {
  const plan = createPlan(config);
  const templates = new TemplateSet([
    ...(settings.templateDirs ?? []),
    BUILTIN_TEMPLATE_DIR,
  ]);
  const context = { config, templates, header: headerLines(config) };
  const files = renderAll(plan, context).sort((a, b) =>
    compareText(a.path, b.path),
  );
  checkOutput(plan, files);
  const warnings = plan.cis.flatMap((ciPlan) => ciPlan.warnings);
  return { files, plan, warnings };
}

/** Renders the pipelines and per-architecture Dockerfiles for `options`. */
export function generate(
  options: GenerateOptions,
  settings: GenerateSettings = {},
): GeneratedFile[] {
  return generateFromConfig(resolveConfig(options), settings).files;
}

export { parseDockerfile };
