/**
 * Derives the Dockerfile of one architecture: a starter file when the user
 * has none, or the user's Dockerfile with the target stages' FROM lines
 * pointed at that architecture.
 */

import { From } from 'dockerfile-ast';
import type { Dockerfile, Flag } from 'dockerfile-ast';
import { dockerPlatform } from '../arch/resolve';
import { findMissingPlatforms, perArchBase } from '../base-images';
import { UsageError } from '../errors';
import { checkImageReference, formatImageReference } from '../image-ref';
import type { ImageRef } from '../image-ref';
import {
  argLines,
  copyQemuLine,
  fromArguments,
  headerLines,
  legacyBase,
  qemuStageLine,
  uniqueKeys,
} from './lines';
import type { LegacyQemu } from './lines';
import { instructionLine, parseDockerfile } from './parse';
import { renderStarter } from './starter';
import type { StarterInput } from './starter';
import { applyEdits, findLineStarts, normalizeText } from './text-edit';
import type { TextEdit } from './text-edit';

export type { LegacyQemu } from './lines';
export type { StarterInput } from './starter';
export { parseDockerfile } from './parse';

export interface DeriveInput extends StarterInput {
  /** The user's Dockerfile. Without it, a starter Dockerfile is written. */
  readonly source?: { readonly content: string; readonly fileName: string };
}

/** State shared by the steps that rewrite a user's Dockerfile. */
interface RewriteContext {
  readonly input: DeriveInput;
  readonly fileName: string;
  readonly content: string;
  readonly lineStarts: readonly number[];
  readonly edits: TextEdit[];
  /** The emulator and its stage name, set in legacy mode only. */
  readonly legacy?: { readonly qemu: LegacyQemu; readonly stage: string };
}

const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BUILD_PLATFORM_VALUES = new Set(['$BUILDPLATFORM', '${BUILDPLATFORM}']);
const TARGET_PLATFORM_VALUES = new Set([
  '$TARGETPLATFORM',
  '${TARGETPLATFORM}',
]);

/**
 * Returns the Dockerfile text for `input.arch`, ending with one newline.
 *
 * With a source, `input.base` is ignored because the FROM images that the
 * user wrote win. Each FROM of a target stage gets the architecture's form
 * of its own image. A FROM stays unchanged when it has a --platform flag,
 * names an earlier stage, or is `scratch`. A FROM whose image contains a
 * variable is kept and gets `--platform=` for the architecture.
 *
 * With `legacyQemu`, the output has no --platform flags. Target stages use
 * the namespaced official image and copy the emulator from a first stage.
 *
 * Throws a UsageError for an invalid Dockerfile, build argument or base,
 * and for a base that does not publish the architecture.
 */
export function deriveDockerfile(input: DeriveInput): string {
  checkBuildArgKeys(input.buildArgs);
  if (input.source === undefined) {
    return renderStarter(input);
  }
  return rewriteSource(input, input.source.content, input.source.fileName);
}

function checkBuildArgKeys(keys: readonly string[]): void {
  for (const key of keys) {
    if (!BUILD_ARG_KEY.test(key)) {
      const message = `Invalid build argument name ${JSON.stringify(key)}: use letters, digits and "_", not starting with a digit, e.g. APP_VERSION.`;
      throw new UsageError('BUILD_ARG_INVALID', message);
    }
  }
}

// User's Dockerfile

function rewriteSource(
  input: DeriveInput,
  source: string,
  fileName: string,
): string {
  const content = normalizeText(source);
  const dockerfile = parseDockerfile(content, fileName);
  const context = createContext(input, dockerfile, content, fileName);

  // 1. Point each target stage at the architecture.
  rewriteFroms(dockerfile, context);

  // 2. Declare the pipeline's build arguments in the final stage.
  addFinalStageArgs(dockerfile, context);

  // 3. Put the emulator stage before the user's first stage.
  const topStage = addQemuStage(dockerfile, context);

  // 4. Apply the edits, then add the header below the parser directives.
  const edited = applyEdits(content, context.edits);
  const bodyStart = offsetOfLine(context, directiveLineCount(dockerfile));
  const body = prependBlocks(edited.slice(bodyStart), [
    headerLines(input.header),
    topStage,
  ]);
  return `${edited.slice(0, bodyStart)}${body}`.replace(/\n*$/, '\n');
}

function createContext(
  input: DeriveInput,
  dockerfile: Dockerfile,
  content: string,
  fileName: string,
): RewriteContext {
  const stageNames = dockerfile
    .getFROMs()
    .map((from) => from.getBuildStage()?.toLowerCase())
    .filter((name): name is string => name !== undefined);
  const legacy =
    input.legacyQemu === undefined
      ? undefined
      : { qemu: input.legacyQemu, stage: pickQemuStage(stageNames) };
  const lineStarts = findLineStarts(content);
  return { input, fileName, content, lineStarts, edits: [], legacy };
}

/**
 * Puts the non-empty blocks of lines before `body`, with one blank line
 * after each block. Blank lines at the start of `body` are dropped then.
 */
function prependBlocks(body: string, blocks: readonly string[][]): string {
  const texts = blocks
    .filter((block) => block.length > 0)
    .map((block) => `${block.join('\n')}\n`);
  if (texts.length === 0) {
    return body;
  }
  return `${texts.join('\n')}\n${body.replace(/^\n+/, '')}`;
}

function rewriteFroms(dockerfile: Dockerfile, context: RewriteContext): void {
  const earlierStages = new Set<string>();
  for (const from of dockerfile.getFROMs()) {
    const rewritten = rewriteFrom(from, earlierStages, context);
    const { legacy } = context;
    if (rewritten && legacy !== undefined) {
      // Every target stage may RUN programs, so each one gets the emulator.
      const line = copyQemuLine(legacy.qemu, legacy.stage);
      insertAfter(from, `${line}\n`, context);
    }
    const stage = from.getBuildStage();
    if (stage !== null) {
      earlierStages.add(stage.toLowerCase());
    }
  }
}

/** Adds the edits for one FROM and returns whether it now names the target. */
function rewriteFrom(
  from: From,
  earlierStages: ReadonlySet<string>,
  context: RewriteContext,
): boolean {
  const image = from.getImage() ?? '';
  const platform = from.getPlatformFlag();
  if (platform !== null) {
    keepPlatformStage(from, platform, context);
    return false;
  }
  const lowerImage = image.toLowerCase();
  if (lowerImage === 'scratch' || earlierStages.has(lowerImage)) {
    return false;
  }
  if (image.includes('$')) {
    addPlatformToVariableImage(from, image, context);
    return false;
  }
  replaceImage(from, targetImageText(from, image, context), context);
  return true;
}

/**
 * Keeps a stage with its own --platform. Legacy output has no --platform,
 * because builders without BuildKit do not support it. Those builders run
 * every stage on the build machine, so `$BUILDPLATFORM` can be dropped.
 *
 * A fixed platform such as `linux/amd64` is rejected: it would be copied
 * into every architecture's Dockerfile and build that platform for all.
 */
function keepPlatformStage(
  from: From,
  platform: Flag,
  context: RewriteContext,
): void {
  const value = platform.getValue() ?? '';
  if (context.legacy === undefined) {
    checkVariablePlatform(from, value, context);
    return;
  }
  if (!BUILD_PLATFORM_VALUES.has(value)) {
    const message = `${where(from, context)}: FROM --platform=${value} cannot be used with --strategy legacy, whose Dockerfiles have no --platform flags. Remove the flag or drop --strategy legacy.`;
    throw new UsageError('DOCKERFILE_INVALID', message);
  }
  const start = offsetOf(context, platform.getRange().start);
  const end = offsetOf(context, imageRange(from).start);
  context.edits.push({ start, end, text: '' });
}

function checkVariablePlatform(
  from: From,
  value: string,
  context: RewriteContext,
): void {
  if (BUILD_PLATFORM_VALUES.has(value) || TARGET_PLATFORM_VALUES.has(value)) {
    return;
  }
  const message = `${where(from, context)}: FROM --platform=${value} builds ${value} in every architecture's Dockerfile. Use --platform=$BUILDPLATFORM for a build stage, or no --platform in the final stage.`;
  throw new UsageError('DOCKERFILE_INVALID', message);
}

function addPlatformToVariableImage(
  from: From,
  image: string,
  context: RewriteContext,
): void {
  if (context.legacy !== undefined) {
    const message = `${where(from, context)}: FROM ${image} uses a variable, so --strategy legacy cannot pick the ${context.input.arch.name} image. Write the image name or drop --strategy legacy.`;
    throw new UsageError('DOCKERFILE_INVALID', message);
  }
  const start = offsetOf(context, imageRange(from).start);
  const text = `--platform=${dockerPlatform(context.input.arch)} `;
  context.edits.push({ start, end: start, text });
}

/** Returns the FROM arguments that name `image` for the target. */
function targetImageText(
  from: From,
  image: string,
  context: RewriteContext,
): string {
  const { arch } = context.input;
  const result = checkImageReference(image);
  if (!result.ok) {
    const message = `${where(from, context)}: invalid image "${image}" in FROM: ${result.problem}.`;
    throw new UsageError('DOCKERFILE_INVALID', message);
  }
  checkFromSupports(from, result.ref, context);
  if (context.legacy !== undefined) {
    const subject = `${where(from, context)}: FROM ${image}`;
    return formatImageReference(legacyBase(result.ref, arch, subject));
  }
  return fromArguments(perArchBase(result.ref, arch));
}

function checkFromSupports(
  from: From,
  ref: ImageRef,
  context: RewriteContext,
): void {
  const gap = findMissingPlatforms(ref, [context.input.arch]);
  if (gap === undefined) {
    return;
  }
  const message = `${where(from, context)}: FROM ${formatImageReference(ref)} has no ${gap.missing.join(', ')} image: Docker Hub's ${gap.name} publishes ${gap.published.join(', ')}. Use another image in this FROM or drop ${gap.missing.join(', ')} from the architectures.`;
  throw new UsageError('BASE_ARCH_MISSING', message);
}

function replaceImage(from: From, text: string, context: RewriteContext) {
  const range = imageRange(from);
  const start = offsetOf(context, range.start);
  const end = offsetOf(context, range.end);
  context.edits.push({ start, end, text });
}

function addFinalStageArgs(
  dockerfile: Dockerfile,
  context: RewriteContext,
): void {
  const froms = dockerfile.getFROMs();
  const lastFrom = froms[froms.length - 1];
  const lastFromEnd = lastFrom.getRange().end.line;
  const declared = new Set(
    dockerfile
      .getARGs()
      .filter((arg) => arg.getRange().start.line > lastFromEnd)
      .flatMap((arg) => arg.getArguments())
      .map((argument) => argument.getValue().split('=')[0]),
  );
  const missing = uniqueKeys(context.input.buildArgs).filter(
    (key) => !declared.has(key),
  );
  const lines = argLines(missing);
  if (lines.length > 0) {
    insertAfter(lastFrom, `${lines.join('\n')}\n`, context);
  }
}

/**
 * Adds the legacy emulator stage after the ARGs that precede the first FROM,
 * so that those ARGs keep their global scope. Returns the stage's lines when
 * they go to the top of the file instead.
 */
function addQemuStage(
  dockerfile: Dockerfile,
  context: RewriteContext,
): string[] {
  const { legacy } = context;
  if (legacy === undefined) {
    return [];
  }
  const line = qemuStageLine(legacy.qemu, legacy.stage);
  const initialArgs = dockerfile.getInitialARGs();
  if (initialArgs.length === 0) {
    return [line];
  }
  const lastArg = initialArgs[initialArgs.length - 1];
  insertAfter(lastArg, `\n${line}\n`, context);
  return [];
}

// Shared helpers

/** Picks `qemu`, or `qemu-2`, `qemu-3`... when the user has that stage. */
function pickQemuStage(stageNames: readonly string[]): string {
  let name = 'qemu';
  for (let suffix = 2; stageNames.includes(name); suffix += 1) {
    name = `qemu-${suffix}`;
  }
  return name;
}

function directiveLineCount(dockerfile: Dockerfile): number {
  const directives = dockerfile.getDirectives();
  if (directives.length === 0) {
    return 0;
  }
  return directives[directives.length - 1].getRange().end.line + 1;
}

function imageRange(from: From) {
  const range = from.getImageRange();
  if (range === null) {
    throw new Error(`FROM without an image passed parseDockerfile: ${from}`);
  }
  return range;
}

function where(from: From, context: RewriteContext): string {
  return `${context.fileName}:${instructionLine(from)}`;
}

function insertAfter(
  instruction: { getRange(): { end: { line: number } } },
  text: string,
  context: RewriteContext,
): void {
  const start = offsetOfLine(context, instruction.getRange().end.line + 1);
  context.edits.push({ start, end: start, text });
}

/** Returns the offset where a 0-based line starts, or the end of the text. */
function offsetOfLine(context: RewriteContext, line: number): number {
  return context.lineStarts[line] ?? context.content.length;
}

function offsetOf(
  context: RewriteContext,
  position: { line: number; character: number },
): number {
  return offsetOfLine(context, position.line) + position.character;
}
