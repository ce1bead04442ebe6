import { suggestNearest } from '../../arch/suggest';
import { pointerOf } from '../locate';
import {
  HOSTED_LABELS,
  HOSTED_PREFIX,
  RETIRED_LABELS,
} from '../lint/github-runners';
import type { LintRule, RuleHit } from '../lint/types';
import { asList, asObject, isObject, type YamlObject } from '../lint/values';

const CURRENT = Object.keys(HOSTED_LABELS);

interface Label {
  readonly label: string;
  readonly pointer: string;
}

function checkLabel({ label, pointer }: Label): RuleHit | undefined {
  if (HOSTED_LABELS[label] || !HOSTED_PREFIX.test(label)) {
    return undefined;
  }
  if (RETIRED_LABELS.includes(label)) {
    return {
      pointer,
      message: `GitHub has retired the runner label ${label}; jobs that ask for it are never picked up (current labels include ubuntu-24.04 and ubuntu-24.04-arm)`,
    };
  }
  const nearest = suggestNearest(label, CURRENT, 2);
  if (nearest) {
    return {
      pointer,
      message: `unknown GitHub-hosted runner label ${label} (did you mean ${nearest}?); the job would wait for a runner that does not exist`,
    };
  }
  return {
    pointer,
    severity: 'warning',
    message: `${label} is not a GitHub-hosted runner label; the job needs a larger or self-hosted runner with that name`,
  };
}

/** Labels of `runs-on`, or none when a self-hosted runner or group is meant. */
function runsOnLabels(runsOn: unknown, pointer: string): Label[] {
  if (isObject(runsOn)) {
    return runsOn.group !== undefined
      ? []
      : runsOnLabels(runsOn.labels, `${pointer}/labels`);
  }
  if (Array.isArray(runsOn)) {
    if (runsOn.includes('self-hosted')) {
      return [];
    }
    return runsOn.map((label, index) => ({
      label: String(label),
      pointer: `${pointer}/${index}`,
    }));
  }
  return typeof runsOn === 'string' ? [{ label: runsOn, pointer }] : [];
}

const MATRIX_EXPRESSION = /^\$\{\{\s*matrix((?:\.[\w-]+)+)\s*\}\}$/;

/** Values of `${{ matrix.a.b }}` from the job's matrix and its include list. */
function matrixLabels(
  job: YamlObject,
  jobPointer: string,
  path: string[],
): Label[] {
  const matrix = asObject(asObject(job.strategy).matrix);
  const base = `${jobPointer}/strategy/matrix`;
  const [first, ...rest] = path;
  const rows: Label[] = [];
  asList(matrix[first]).forEach((item, index) => {
    rows.push(...follow(item, `${base}${pointerOf([first, index])}`, rest));
  });
  asList(matrix.include).forEach((entry, index) => {
    const value = asObject(entry)[first];
    rows.push(
      ...follow(value, `${base}${pointerOf(['include', index, first])}`, rest),
    );
  });
  return rows;
}

function follow(value: unknown, pointer: string, path: string[]): Label[] {
  let current = value;
  let at = pointer;
  for (const key of path) {
    current = asObject(current)[key];
    at = `${at}${pointerOf([key])}`;
  }
  return typeof current === 'string' ? [{ label: current, pointer: at }] : [];
}

function labelsOf(job: YamlObject, jobPointer: string): Label[] {
  const runsOn = job['runs-on'];
  const match =
    typeof runsOn === 'string' ? MATRIX_EXPRESSION.exec(runsOn) : null;
  if (match) {
    return matrixLabels(job, jobPointer, match[1].slice(1).split('.'));
  }
  return runsOnLabels(runsOn, `${jobPointer}/runs-on`).filter(
    (entry) => !entry.label.includes('${{'),
  );
}

export const githubRunnerLabelRule: LintRule = {
  id: 'github-runner-label',
  severity: 'error',
  reason:
    "GitHub's workflow schema accepts any runner label, so runs-on: ubuntu-24.04-arm64 (no such runner) passes and the job never starts",
  cis: ['github'],
  check(context) {
    const jobs = asObject(context.root.jobs);
    const hits = new Map<string, RuleHit>();
    for (const [id, job] of Object.entries(jobs)) {
      for (const label of labelsOf(asObject(job), pointerOf(['jobs', id]))) {
        const hit = checkLabel(label);
        if (hit) {
          hits.set(hit.pointer, hit);
        }
      }
    }
    return [...hits.values()];
  },
};
