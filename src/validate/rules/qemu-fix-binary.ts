import { commandsOf, registrationIn, type CommandAt } from '../lint/docker';
import {
  dockerArgs,
  isDynamic,
  optionValue,
  programWords,
} from '../lint/shell';
import type { CiJob, LintContext, LintRule, RuleHit } from '../lint/types';

/** A static QEMU binary, such as qemu-arm-static; not the package name. */
const STATIC_BINARY = /qemu-(?!user-static)[a-z0-9_]+-static/;

/** Programs that fetch or copy files; `grep` of a handler copies nothing. */
const FILE_PROGRAMS = new Set([
  'curl',
  'wget',
  'cp',
  'mv',
  'tar',
  'unzip',
  'install',
  'ln',
  'rsync',
]);

function copiesStaticBinary({ command }: CommandAt): boolean {
  const [program] = programWords(command);
  return (
    FILE_PROGRAMS.has(program ?? '') &&
    STATIC_BINARY.test(command.words.join(' '))
  );
}

/** Returns the Dockerfiles that the job builds, `Dockerfile` by default. */
function builtDockerfiles(commands: readonly CommandAt[]): string[] {
  const files: string[] = [];
  for (const { command } of commands) {
    const args = dockerArgs(command);
    const builds =
      args?.[0] === 'build' || (args?.[0] === 'buildx' && args[1] === 'build');
    if (args && builds) {
      const file = optionValue(args, ['-f', '--file']) ?? 'Dockerfile';
      if (!isDynamic(file)) {
        files.push(file.replace(/^\.\//, ''));
      }
    }
  }
  return files;
}

/**
 * Tells whether the job shows that its images carry their own emulator:
 * it fetches or copies a qemu-*-static binary, or a Dockerfile it builds
 * copies one in, as gen-ci's legacy strategy does.
 */
function carriesEmulator(
  context: LintContext,
  commands: readonly CommandAt[],
): boolean {
  if (commands.some(copiesStaticBinary)) {
    return true;
  }
  return builtDockerfiles(commands).some((file) =>
    STATIC_BINARY.test(context.companion(file) ?? ''),
  );
}

function checkJob(context: LintContext, job: CiJob): RuleHit[] {
  const commands = commandsOf(job.commands);
  const hits: RuleHit[] = [];
  for (const entry of commands) {
    const registration = registrationIn(entry.command);
    const emulator = registration?.emulator;
    if (!emulator || registration.fixBinary !== false) {
      continue;
    }
    if (carriesEmulator(context, commands)) {
      continue;
    }
    hits.push({
      pointer: entry.line.pointer,
      word: emulator.word,
      message: `${emulator.word} registers QEMU without the F (fix-binary) flag, so RUN steps of foreign images fail with "exec /bin/sh: no such file or directory" unless each image carries its own qemu-*-static; add -p yes`,
    });
  }
  return hits;
}

export const qemuFixBinaryRule: LintRule = {
  id: 'qemu-no-fix-binary',
  severity: 'error',
  reason:
    'without the F flag the kernel looks for the emulator inside each container, where it is missing',
  cis: ['travis', 'gitlab', 'github'],
  check(context) {
    const hits = new Map<string, RuleHit>();
    for (const job of context.jobs) {
      for (const hit of checkJob(context, job)) {
        hits.set(`${hit.pointer}\u0000${hit.word}`, hit);
      }
    }
    return [...hits.values()];
  },
};
