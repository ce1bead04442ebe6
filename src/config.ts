/**
 * Turns the options a caller passes (strings, as typed) into a resolved
 * configuration: canonical architecture records, parsed image references and
 * checked values. Every user error surfaces here, before any rendering.
 */
import { resolveArchList } from './arch/resolve';
import type { ArchRecord } from './arch/types';
import { checkBaseSupports, DEFAULT_BASE } from './base-images';
import { CI_NAMES, type CiName } from './ci/platforms';
import { UsageError } from './errors';
import {
  parseImageReference,
  parseImageRepository,
  type ImageRef,
} from './image-ref';
import {
  DEFAULT_EMULATOR_IMAGE,
  GENERATE_OPTIONS,
  STRATEGIES,
  type PinMode,
  type Strategy,
} from './options';
import {
  checkDockerVersion,
  checkStrategyForCis,
  checkWorkflowName,
  describeUnusedRunners,
  resolvePinMode,
  resolveRunnerOverrides,
  type RunnerOverride,
} from './ci/settings';
import { suggestNearest } from './arch/suggest';
import {
  checkBranchName,
  checkBuildArgsForCis,
  checkPrintableText,
  parseBuildArgs,
  type BuildArg,
} from './values';
import { isPinned } from './validate/lint/docker';

/** A Dockerfile the caller has read; the core does no file I/O. */
export interface SourceFile {
  readonly fileName: string;
  readonly content: string;
}

/** Options of `generate()`, with the same names and meanings as the flags. */
export interface GenerateOptions {
  readonly arch: readonly string[];
  readonly ci?: readonly string[];
  readonly image?: string;
  readonly base?: string;
  readonly dockerfile?: SourceFile;
  readonly buildArgs?: readonly string[];
  readonly strategy?: string;
  readonly emulatorImage?: string;
  readonly branch?: string;
  /** `CI:ARCH=LABEL` values, as `--runner` takes them. */
  readonly runner?: readonly string[];
  readonly dockerVersion?: string;
  readonly workflowName?: string;
  readonly pinActions?: string;
}

export interface ResolvedConfig {
  readonly arches: readonly ArchRecord[];
  readonly cis: readonly CiName[];
  /** The repository to push; absent means each CI's own default. */
  readonly image?: ImageRef;
  readonly base: ImageRef;
  readonly dockerfile?: SourceFile;
  readonly buildArgs: readonly BuildArg[];
  readonly strategy: Strategy;
  readonly emulatorImage: ImageRef;
  readonly branch: string;
  /** Runner labels that replace a CI's defaults, sorted by CI and arch. */
  readonly runners: readonly RunnerOverride[];
  /** Docker release of GitLab's `docker:<version>-cli` and `-dind`. */
  readonly dockerVersion: string;
  /** GitHub Actions workflow file name without `.yml`. */
  readonly workflowName: string;
  readonly pinActions: PinMode;
  /** Problems that do not stop generation, such as an unused `--runner`. */
  readonly warnings: readonly string[];
}

export function resolveCiNames(values: readonly string[]): CiName[] {
  const names = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim().toLowerCase());
  const known = new Set<string>(CI_NAMES);
  for (const name of names) {
    if (!known.has(name)) {
      const hint = suggestNearest(name, CI_NAMES);
      throw new UsageError(
        'CI_UNKNOWN',
        `unknown CI ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ''}; choose from ${CI_NAMES.join(', ')}`,
      );
    }
  }
  // Table order, duplicates dropped: the same set always renders the same.
  return CI_NAMES.filter((name) => names.includes(name));
}

function resolveStrategy(value: string | undefined): Strategy {
  const strategy = value ?? GENERATE_OPTIONS.strategy.default;
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw new UsageError(
      'OPTION_INVALID',
      `invalid --strategy ${JSON.stringify(strategy)}; choose from ${STRATEGIES.join(', ')}`,
    );
  }
  return strategy as Strategy;
}

/**
 * Parses the emulator image and rejects a tag that can move to a new
 * release, by the definition of the qemu-image-unpinned lint rule.
 */
function resolveEmulatorImage(value: string | undefined): ImageRef {
  const text = value ?? DEFAULT_EMULATOR_IMAGE;
  const ref = parseImageReference(text, 'emulator-image');
  if (!isPinned(ref)) {
    const problem =
      ref.tag === undefined
        ? 'it has neither a tag nor a digest'
        : `the tag "${ref.tag}" contains no version number`;
    throw new UsageError(
      'IMAGE_INVALID',
      `--emulator-image ${JSON.stringify(text)} is not pinned: ${problem}, so a new release can replace it; use a version tag or a digest, such as ${DEFAULT_EMULATOR_IMAGE}`,
    );
  }
  return ref;
}

/**
 * BuildKit's automatic platform arguments. BuildKit sets TARGET* from the
 * platform that a build targets and BUILD* from the platform of the machine
 * that runs it, and a build argument of the same name replaces the value
 * (moby/buildkit, frontend/dockerfile/dockerfile2llb/platform.go,
 * `platformArgs`). Docker lists them in the Dockerfile reference under
 * "Automatic platform ARGs in the global scope".
 */
const PLATFORM_BUILD_ARGS: ReadonlySet<string> = new Set([
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
]);

/**
 * Rejects a platform argument. Every architecture's build gets the same
 * build arguments, so all of them would get this one value.
 */
function checkPlatformBuildArgs(args: readonly BuildArg[]): void {
  const platformArg = args.find((arg) => PLATFORM_BUILD_ARGS.has(arg.key));
  if (platformArg === undefined) {
    return;
  }
  const { key, value } = platformArg;
  const source = key.startsWith('TARGET')
    ? "the build's --platform"
    : 'the machine that runs the build';
  throw new UsageError(
    'BUILD_ARG_INVALID',
    `invalid --build-arg ${JSON.stringify(`${key}=${value}`)}: BuildKit sets ${key} in each build from ${source}, and this value would replace it in the build of every architecture; remove it, because gen-ci already builds each architecture for its own platform`,
  );
}

function resolveBuildArgs(
  texts: readonly string[],
  cis: readonly CiName[],
): BuildArg[] {
  const args = parseBuildArgs(texts);
  checkPlatformBuildArgs(args);
  return checkBuildArgsForCis(args, cis);
}

const FIX_DOCKERFILE_NAME =
  'rename the file to a name of printable characters on one line';

/**
 * Rejects a Dockerfile name that the header comment of the generated
 * files cannot hold on one printable line.
 */
function checkDockerfileName(
  dockerfile: SourceFile | undefined,
): SourceFile | undefined {
  if (dockerfile !== undefined) {
    const name = dockerfile.fileName;
    checkPrintableText(name, '--dockerfile', FIX_DOCKERFILE_NAME);
  }
  return dockerfile;
}

export function resolveConfig(options: GenerateOptions): ResolvedConfig {
  if (options.arch.length === 0) {
    throw new UsageError(
      'ARCH_EMPTY',
      'no architecture given; pass --arch, such as --arch ppc64le,s390x',
    );
  }
  const arches = resolveArchList(options.arch);
  const base = parseImageReference(options.base ?? DEFAULT_BASE, 'base');
  if (!options.dockerfile) {
    checkBaseSupports(base, arches);
  }
  const cis = resolveCiNames(options.ci ?? ['travis']);
  const strategy = resolveStrategy(options.strategy);
  checkStrategyForCis(strategy, cis);
  const runners = resolveRunnerOverrides(options.runner ?? [], arches);
  return {
    arches,
    cis,
    image:
      options.image === undefined
        ? undefined
        : parseImageRepository(options.image),
    base,
    dockerfile: checkDockerfileName(options.dockerfile),
    buildArgs: resolveBuildArgs(options.buildArgs ?? [], cis),
    strategy,
    emulatorImage: resolveEmulatorImage(options.emulatorImage),
    branch: checkBranchName(options.branch ?? GENERATE_OPTIONS.branch.default),
    runners,
    dockerVersion: checkDockerVersion(
      options.dockerVersion ?? GENERATE_OPTIONS['docker-version'].default,
    ),
    workflowName: checkWorkflowName(
      options.workflowName ?? GENERATE_OPTIONS['workflow-name'].default,
    ),
    pinActions: resolvePinMode(
      options.pinActions ?? GENERATE_OPTIONS['pin-actions'].default,
    ),
    warnings: describeUnusedRunners(runners, cis),
  };
}
