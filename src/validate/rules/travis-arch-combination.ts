import {
  effective,
  travisEntries,
  type TravisEntry,
} from '../lint/jobs-travis';
import type { LintRule, RuleHit } from '../lint/types';
import type { YamlObject } from '../lint/values';
import { firstValue, GRAVITON2_DISTS, LXD_ONLY_ARCHES } from './travis-values';

interface JobSettings {
  readonly arch?: string;
  readonly archPointer: string;
  readonly dist?: string;
  readonly virt?: string;
  readonly group?: string;
  readonly os?: string;
}

function settingsOf(root: YamlObject, job: TravisEntry): JobSettings {
  const value = (key: string) => firstValue(effective(root, job, key).value);
  return {
    arch: value('arch'),
    archPointer: effective(root, job, 'arch').pointer,
    dist: value('dist'),
    virt: value('virt'),
    group: value('group'),
    os: value('os'),
  };
}

function graviton2Problems(job: JobSettings): string[] {
  const problems: string[] = [];
  if (job.virt !== 'lxd' && job.virt !== 'vm') {
    problems.push('arm64-graviton2 needs virt: lxd or virt: vm');
  }
  if (job.group !== 'edge') {
    problems.push('arm64-graviton2 needs group: edge');
  }
  if (job.dist !== undefined && !GRAVITON2_DISTS.has(job.dist)) {
    problems.push(
      `arm64-graviton2 offers only dist focal, bionic or xenial, not ${job.dist}`,
    );
  }
  return problems;
}

function lxdProblems(job: JobSettings): string[] {
  const problems: string[] = [];
  if (job.virt === 'vm') {
    problems.push(`${job.arch} runs only in LXD containers, not with virt: vm`);
  }
  if (job.dist === 'precise' || job.dist === 'trusty') {
    problems.push(`${job.arch} is not offered on dist ${job.dist}`);
  }
  return problems;
}

function problemsOf(job: JobSettings): string[] {
  if (job.arch === undefined || job.arch === 'amd64') {
    return [];
  }
  const problems: string[] = [];
  if (job.os !== undefined && job.os !== 'linux') {
    problems.push(`arch ${job.arch} needs os: linux, not ${job.os}`);
  }
  if (job.arch === 'arm64-graviton2') {
    problems.push(...graviton2Problems(job));
  } else if (LXD_ONLY_ARCHES.has(job.arch)) {
    problems.push(...lxdProblems(job));
  }
  return problems;
}

export const travisArchCombinationRule: LintRule = {
  id: 'travis-arch-combination',
  severity: 'error',
  reason:
    'Travis CI offers each non-amd64 arch only with some os, dist, virt and group values, which no schema checks',
  cis: ['travis'],
  check(context) {
    const hits = new Map<string, RuleHit>();
    for (const job of travisEntries(context.root)) {
      const settings = settingsOf(context.root, job);
      for (const message of problemsOf(settings)) {
        const hit = { pointer: settings.archPointer, message };
        hits.set(`${hit.pointer}\u0000${message}`, hit);
      }
    }
    return [...hits.values()];
  },
};
