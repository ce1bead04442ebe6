import {
  actionPlatforms,
  commandsOf,
  isForeign,
  jobRegisters,
  platformOf,
  type PlatformUse,
} from '../lint/docker';
import type { CiJob, LintRule, RuleHit } from '../lint/types';

interface ForeignUse {
  readonly pointer: string;
  readonly word: string;
  readonly platform: string;
}

function foreignPlatform(
  use: PlatformUse | undefined,
  job: CiJob,
): string | undefined {
  if (!use || use.dynamic) {
    return undefined;
  }
  return use.platforms.find((platform) => isForeign(platform, job.runnerArch));
}

/** Returns the first build or run of the job that needs QEMU there. */
function firstForeignUse(job: CiJob): ForeignUse | undefined {
  for (const { command, line } of commandsOf(job.commands)) {
    const use = platformOf(command);
    const platform = foreignPlatform(use, job);
    if (use && platform) {
      return { pointer: line.pointer, word: use.value, platform };
    }
  }
  for (const step of job.actions) {
    const use = actionPlatforms(step);
    const platform = foreignPlatform(use, job);
    if (use && platform) {
      return {
        pointer: `${step.pointer}/with/platforms`,
        word: use.value,
        platform,
      };
    }
  }
  return undefined;
}

export const qemuOtherJobRule: LintRule = {
  id: 'qemu-registration-other-job',
  severity: 'error',
  reason:
    'each CI job starts on a fresh machine, so QEMU registered in one job is gone in the next',
  cis: ['travis', 'gitlab', 'github'],
  check(context) {
    const jobs = context.jobs.filter((job) => !job.hidden);
    const registering = jobs.filter(jobRegisters);
    if (registering.length === 0) {
      return [];
    }
    const names = registering.map((job) => job.name).join(', ');
    const registrars =
      registering.length === 1
        ? `job ${names} registers`
        : `jobs ${names} register`;
    const hits: RuleHit[] = [];
    for (const job of jobs) {
      const use = registering.includes(job) ? undefined : firstForeignUse(job);
      if (use) {
        hits.push({
          pointer: use.pointer,
          word: use.word,
          message: `job ${job.name} runs ${use.platform} code without registering QEMU: only ${registrars} it, and the registration does not carry over, because every job starts on a fresh machine`,
        });
      }
    }
    return hits;
  },
};
