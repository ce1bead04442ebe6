/**
 * Travis CI jobs: each `jobs.include` (or `matrix.include`) entry, plus the
 * root job when there is no include list or an `env` matrix expands the
 * root. A job runs its own phase commands and inherits every phase it does
 * not set from the root, phase by phase.
 */
import type { CiJob, ShellLine } from './types';
import { pointerOf } from '../locate';
import {
  asList,
  asObject,
  asString,
  isObject,
  type YamlObject,
} from './values';

const PHASES = [
  'before_install',
  'install',
  'before_script',
  'script',
  'before_cache',
  'after_success',
  'after_failure',
  'before_deploy',
  'after_deploy',
  'after_script',
] as const;

/** Travis CI `arch` values by the architecture they run on. */
const TRAVIS_RUNNER_ARCH: Readonly<Record<string, string>> = {
  amd64: 'amd64',
  x86_64: 'amd64',
  arm64: 'arm64',
  'arm64-graviton2': 'arm64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};

export interface TravisEntry {
  readonly entry: YamlObject;
  /** JSON pointer of the entry; empty for the root job. */
  readonly pointer: string;
}

/** Lists the `jobs.include` or `matrix.include` entries with pointers. */
export function includeEntries(root: YamlObject): TravisEntry[] {
  const entries: TravisEntry[] = [];
  for (const key of ['jobs', 'matrix']) {
    const include = asObject(root[key]).include;
    const items = Array.isArray(include) ? include : [include];
    items.forEach((item, index) => {
      if (isObject(item)) {
        const path = Array.isArray(include)
          ? [key, 'include', index]
          : [key, 'include'];
        entries.push({ entry: item, pointer: pointerOf(path) });
      }
    });
  }
  return entries;
}

function hasEnvMatrix(root: YamlObject): boolean {
  const env = root.env;
  if (Array.isArray(env)) {
    return env.length > 0;
  }
  const map = asObject(env);
  return asList(map.matrix).length > 0 || asList(map.jobs).length > 0;
}

/** Lists the root job and each included job, root first. */
export function travisEntries(root: YamlObject): TravisEntry[] {
  const includes = includeEntries(root);
  const withRoot = includes.length === 0 || hasEnvMatrix(root);
  return withRoot ? [{ entry: {}, pointer: '' }, ...includes] : includes;
}

/** Returns a job's own value for `key`, else the root's, with its pointer. */
export function effective(
  root: YamlObject,
  job: TravisEntry,
  key: string,
): { value: unknown; pointer: string } {
  if (job.entry[key] !== undefined) {
    return { value: job.entry[key], pointer: `${job.pointer}/${key}` };
  }
  return { value: root[key], pointer: `/${key}` };
}

function commandLines(value: unknown, pointer: string): ShellLine[] {
  if (typeof value === 'string') {
    return [{ text: value, pointer }];
  }
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((item, index) =>
    typeof item === 'string'
      ? [{ text: item, pointer: `${pointer}/${index}` }]
      : [],
  );
}

/** `deploy: {provider: script, script: ...}` runs shell code too. */
function deployLines(value: unknown, pointer: string): ShellLine[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((item, index) => {
    const script = asString(asObject(item).script);
    if (script === undefined) {
      return [];
    }
    const at = Array.isArray(value) ? `${pointer}/${index}` : pointer;
    return [{ text: script, pointer: `${at}/script` }];
  });
}

function runnerArch(value: unknown): string | undefined {
  const first = asString(asList(value)[0]) ?? 'amd64';
  return TRAVIS_RUNNER_ARCH[first.toLowerCase()];
}

export function travisJobs(root: YamlObject): CiJob[] {
  return travisEntries(root).map((job, index) => {
    const commands = PHASES.flatMap((phase) => {
      const { value, pointer } = effective(root, job, phase);
      return commandLines(value, pointer);
    });
    const deploy = effective(root, job, 'deploy');
    const name =
      asString(job.entry.name) ?? asString(job.entry.stage) ?? `job ${index}`;
    return {
      name: job.pointer === '' ? 'root job' : name,
      pointer: job.pointer,
      hidden: false,
      runnerArch: runnerArch(effective(root, job, 'arch').value),
      commands: [...commands, ...deployLines(deploy.value, deploy.pointer)],
      actions: [],
      variables: {},
      services: [],
    };
  });
}
