/**
 * The core: from options to the list of files to write. It reads no file
 * and writes nothing; the caller passes file contents in and hands the
 * result to a writer.
 */
import type { ArchRecord } from './arch/types';
import { bodyHashStatus, sealBodyHash } from './body-hash';
import {
  resolveConfig,
  type GenerateOptions,
  type ResolvedConfig,
} from './config';
import { parseDockerfile } from './dockerfile/derive';
import { CheckFailure } from './errors';
import { headerLines } from './header';
import { createPlan, dockerfileName, type Plan } from './plan';
import { BUILTIN_TEMPLATE_DIR, TemplateSet } from './render/templates';
import { TARGETS } from './targets';
import { deriveArchDockerfile } from './targets/steps';
import type { GeneratedFile, RenderContext } from './targets/types';
import { checkGeneratedFile } from './validate/generated';
import { compareText, formatFinding } from './validate/findings';
import { isGeneratedByGenCi } from './writer';

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
  const content = deriveArchDockerfile(config, arch, header);
  return { path: dockerfileName(arch), content };
}

function renderAll(plan: Plan, context: RenderContext): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const ciPlan of plan.cis) {
    files.push(TARGETS[ciPlan.ci].render(ciPlan, context));
  }
  for (const arch of plan.config.arches) {
    files.push(renderDockerfile(plan.config, arch, context.header));
  }
  return files;
}

/**
 * Rules that check values the user passes through (runner labels, the
 * emulator image), so their findings need not be gen-ci's bug.
 */
const USER_VALUE_RULES: ReadonlySet<string> = new Set([
  'github-runner-label',
  'qemu-no-fix-binary',
  'qemu-image-unpinned',
]);

/** Describes where invalid output came from: gen-ci or custom templates. */
function templateOrigin(settings: GenerateSettings): string {
  const dirs = settings.templateDirs ?? [];
  return dirs.length === 0
    ? 'gen-ci produced invalid output, which is a bug in gen-ci'
    : `the templates in ${dirs.join(', ')} produced invalid output; fix them`;
}

/**
 * Fails when the output does not pass gen-ci's own checks. Output from
 * custom templates gets the same checks as the built-in templates'.
 */
function checkOutput(
  plan: Plan,
  files: readonly GeneratedFile[],
  settings: GenerateSettings,
): void {
  const errors = files.flatMap((file) =>
    checkGeneratedFile(plan.config, file, files).filter(
      (finding) => finding.severity === 'error',
    ),
  );
  if (errors.length === 0) {
    return;
  }
  const fromValues =
    (settings.templateDirs ?? []).length === 0 &&
    errors.some((finding) => USER_VALUE_RULES.has(finding.rule));
  const origin = fromValues
    ? "the generated files fail gen-ci's checks; if a value you passed (such as --runner or --emulator-image) causes this, change it; otherwise report a bug"
    : templateOrigin(settings);
  throw new CheckFailure(
    'OUTPUT_INVALID',
    `${origin}; nothing was written:\n${errors.map(formatFinding).join('\n')}`,
  );
}

/**
 * Records each file's hash in its header. A later run recognises the file
 * only by the marker in its first lines and the hash in its leading
 * comments, so output without them is rejected here.
 */
function sealAll(
  files: readonly GeneratedFile[],
  settings: GenerateSettings,
): GeneratedFile[] {
  return files.map((file) => {
    const content = sealBodyHash(file.content);
    if (
      content === undefined ||
      !isGeneratedByGenCi(content) ||
      bodyHashStatus(content) !== 'intact'
    ) {
      throw new CheckFailure(
        'OUTPUT_INVALID',
        `${templateOrigin(settings)}: ${file.path} must start with the gen-ci header, printed once as # comments (the template's header lines)`,
      );
    }
    return { path: file.path, content };
  });
}

/**
 * Renders and seals every file for an already resolved config, without
 * gen-ci's checks. Output that is written must pass `checkRendered` first.
 */
export function renderFromConfig(
  config: ResolvedConfig,
  settings: GenerateSettings = {},
): GenerateResult {
  const plan = createPlan(config);
  const templates = new TemplateSet([
    ...(settings.templateDirs ?? []),
    BUILTIN_TEMPLATE_DIR,
  ]);
  const context = { config, templates, header: headerLines(config) };
  const rendered = renderAll(plan, context).sort((a, b) =>
    compareText(a.path, b.path),
  );
  const files = sealAll(rendered, settings);
  const warnings = plan.cis.flatMap((ciPlan) => ciPlan.warnings);
  return { files, plan, warnings };
}

/**
 * Throws a CheckFailure (OUTPUT_INVALID) when rendered files fail the
 * checks of `gen-ci validate`.
 */
export function checkRendered(
  result: GenerateResult,
  settings: GenerateSettings = {},
): void {
  checkOutput(result.plan, result.files, settings);
}

/** Renders and checks every file for an already resolved config. */
export function generateFromConfig(
  config: ResolvedConfig,
  settings: GenerateSettings = {},
): GenerateResult {
  const result = renderFromConfig(config, settings);
  checkRendered(result, settings);
  return result;
}

/** Renders the pipelines and per-architecture Dockerfiles for `options`. */
export function generate(
  options: GenerateOptions,
  settings: GenerateSettings = {},
): GeneratedFile[] {
  return generateFromConfig(resolveConfig(options), settings).files;
}

export { parseDockerfile };
