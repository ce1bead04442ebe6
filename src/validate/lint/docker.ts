/**
 * Readings of the Docker work in CI shell code and actions: QEMU
 * registration through an emulator image, builds and runs for a platform,
 * logins. The rules build on these readings.
 */
import { findArch } from '../../arch/resolve';
import {
  dockerArgs,
  hasFlag,
  isDynamic,
  optionValue,
  programWords,
  splitCommands,
  type SimpleCommand,
} from './shell';
import type { ActionStep, CiJob, LintContext, ShellLine } from './types';
import { scalarText } from './values';

export interface CommandAt {
  readonly command: SimpleCommand;
  readonly line: ShellLine;
}

/**
 * Commands of each shell line, split once per line: several rules read
 * the same lines, and in a CPU profile of repeated generate() calls,
 * splitting was the largest cost of linting.
 */
const splitLines = new WeakMap<ShellLine, readonly CommandAt[]>();

export function commandsOf(lines: readonly ShellLine[]): CommandAt[] {
  return lines.flatMap((line) => {
    let commands = splitLines.get(line);
    if (!commands) {
      commands = splitCommands(line.text).map((command) => ({ command, line }));
      splitLines.set(line, commands);
    }
    return commands;
  });
}

/** Lists every shell line once, also one that several jobs inherit. */
export function uniqueLines(context: LintContext): ShellLine[] {
  const seen = new Map<string, ShellLine>();
  for (const job of context.jobs) {
    for (const line of job.commands) {
      seen.set(line.pointer, line);
    }
  }
  return [...seen.values()];
}

const EMULATOR_IMAGE =
  /^(?:(?:docker\.io|index\.docker\.io)\/)?(multiarch\/qemu-user-static|tonistiigi\/binfmt|docker\/binfmt|linuxkit\/binfmt)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;

export interface EmulatorImage {
  /** The image reference as written. */
  readonly word: string;
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

export interface EmulatorRun extends EmulatorImage {
  /** `docker run` options before the image. */
  readonly options: readonly string[];
  /** Arguments after the image, passed to its entrypoint. */
  readonly args: readonly string[];
}

export function parseEmulatorImage(word: string): EmulatorImage | undefined {
  const match = EMULATOR_IMAGE.exec(word);
  if (!match) {
    return undefined;
  }
  return { word, name: match[1], tag: match[2], digest: match[3] };
}

/** `docker run ... <emulator image> ...`, or undefined. */
export function emulatorRun(command: SimpleCommand): EmulatorRun | undefined {
  const args = dockerArgs(command);
  if (!args || args[0] !== 'run') {
    return undefined;
  }
  const index = args.findIndex((arg) => parseEmulatorImage(arg) !== undefined);
  const image = index >= 0 ? parseEmulatorImage(args[index]) : undefined;
  if (!image) {
    return undefined;
  }
  return {
    ...image,
    options: args.slice(1, index),
    args: args.slice(index + 1),
  };
}

/**
 * A pinned image names a digest, or a tag that carries a version or a
 * commit hash: `latest` and `register` move to new builds. The generator
 * checks --emulator-image with this function too, so that it never
 * writes an image that this lint rule reports.
 */
export function isPinned(
  image: Pick<EmulatorImage, 'tag' | 'digest'>,
): boolean {
  if (image.digest) {
    return true;
  }
  return (
    image.tag !== undefined && image.tag !== 'latest' && /\d/.test(image.tag)
  );
}

export interface Registration {
  /**
   * Whether the handlers get the F (fix-binary) flag; undefined when a
   * host package decides.
   */
  readonly fixBinary: boolean | undefined;
  readonly emulator?: EmulatorRun;
}

/** Returns the QEMU registration that a command performs, if any. */
export function registrationIn(
  command: SimpleCommand,
): Registration | undefined {
  const run = emulatorRun(command);
  if (run) {
    return emulatorRegistration(run);
  }
  const [program, ...args] = programWords(command);
  if (
    program === 'update-binfmts' &&
    args.some((arg) => /^--(enable|import)/.test(arg))
  ) {
    return { fixBinary: undefined };
  }
  const installs =
    (program === 'apt-get' || program === 'apt') && args.includes('install');
  if (installs && args.includes('qemu-user-static')) {
    return { fixBinary: undefined };
  }
  return undefined;
}

function emulatorRegistration(run: EmulatorRun): Registration | undefined {
  if (run.name === 'multiarch/qemu-user-static') {
    if (!run.options.includes('--privileged')) {
      return undefined;
    }
    return { fixBinary: persistentYes(run.args), emulator: run };
  }
  if (run.name === 'tonistiigi/binfmt') {
    // Without --install the image only prints the registered handlers.
    return hasFlag(run.args, '--install')
      ? { fixBinary: true, emulator: run }
      : undefined;
  }
  // docker/binfmt and linuxkit/binfmt register their handlers with F.
  return { fixBinary: true, emulator: run };
}

/** `-p yes` or `--persistent yes`: qemu-binfmt-conf.sh's F flag. */
function persistentYes(args: readonly string[]): boolean {
  const value = optionValue(args, ['-p', '--persistent']);
  return value !== undefined && /^(yes|true)$/i.test(value);
}

/** Actions that register QEMU handlers (all with the F flag). */
export function registersThroughAction(step: ActionStep): boolean {
  const name = actionName(step.uses);
  return (
    name === 'docker/setup-qemu-action' ||
    name === 'crazy-max/ghaction-docker-buildx'
  );
}

/** `owner/repo` of a `uses:` value, without path and version. */
export function actionName(uses: string): string {
  const [repository] = uses.split('@');
  return repository.split('/').slice(0, 2).join('/').toLowerCase();
}

export interface PlatformUse {
  /** The `--platform` value as written. */
  readonly value: string;
  readonly platforms: readonly string[];
  readonly dynamic: boolean;
}

const EXECUTING_SUBCOMMANDS = new Set(['build', 'run', 'create']);

/** `--platform` of a build or run, which executes that platform's code. */
export function platformOf(command: SimpleCommand): PlatformUse | undefined {
  const args = dockerArgs(command);
  if (!args) {
    return undefined;
  }
  const executes =
    EXECUTING_SUBCOMMANDS.has(args[0]) ||
    (args[0] === 'buildx' && (args[1] === 'build' || args[1] === 'b'));
  const value = executes ? optionValue(args, ['--platform']) : undefined;
  return value === undefined ? undefined : platformList(value);
}

/** Returns the `platforms` input of docker/build-push-action. */
export function actionPlatforms(step: ActionStep): PlatformUse | undefined {
  if (actionName(step.uses) !== 'docker/build-push-action') {
    return undefined;
  }
  const value = scalarText(step.inputs.platforms);
  return value === undefined ? undefined : platformList(value);
}

export function platformList(value: string): PlatformUse {
  return {
    value,
    platforms: value
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter(Boolean),
    dynamic: isDynamic(value),
  };
}

/** Tells whether a runner of `runnerArch` needs QEMU to run `platform`. */
export function isForeign(
  platform: string,
  runnerArch: string | undefined,
): boolean {
  const target = findArch(platform);
  const runner = runnerArch === undefined ? undefined : findArch(runnerArch);
  if (!target || !runner || target === runner) {
    return false;
  }
  if (runner.name === 'amd64') {
    return !target.runsOnAmd64;
  }
  return runner.name === 'arm64' ? !target.runsOnArm64 : true;
}

/** Tells whether the job registers QEMU handlers in a way gen-ci recognises. */
export function jobRegisters(job: CiJob): boolean {
  return (
    commandsOf(job.commands).some(({ command }) => registrationIn(command)) ||
    job.actions.some(registersThroughAction)
  );
}
