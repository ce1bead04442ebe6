/**
 * GitLab CI jobs: every top-level key that is not a global keyword. A job
 * takes each key it does not set from the jobs it `extends` (the last
 * listed wins), then from `default:` or the old top-level defaults.
 * `!reference [job, key]` inside a script is replaced by that script.
 */
import { pointerOf, nodeAt } from '../locate';
import type { ParsedYaml } from '../yaml-checks';
import type { CiJob, ShellLine, Variable } from './types';
import {
  asList,
  asObject,
  asString,
  isObject,
  type YamlObject,
} from './values';

const GLOBAL_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'types',
  'spec',
]);

/** GitLab's own limits: 11 levels of `extends`, 10 of `!reference`. */
const MAX_DEPTH = 11;

interface Found {
  readonly value: unknown;
  readonly pointer: string;
}

export function gitlabJobs(root: YamlObject, parsed: ParsedYaml): CiJob[] {
  const jobs: CiJob[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (!GLOBAL_KEYWORDS.has(name) && isObject(value)) {
      jobs.push(gitlabJob(root, parsed, name));
    }
  }
  return jobs;
}

function gitlabJob(root: YamlObject, parsed: ParsedYaml, name: string): CiJob {
  const order = lookupOrder(root, name, 0, new Set());
  const pick = (key: string): Found | undefined => pickKey(root, order, key);
  const defaults = asObject(root.default);
  const inherited = (key: string): Found | undefined =>
    pick(key) ??
    (defaults[key] !== undefined
      ? { value: defaults[key], pointer: `/default/${key}` }
      : root[key] !== undefined
        ? { value: root[key], pointer: `/${key}` }
        : undefined);
  const commands = ['before_script', 'script', 'after_script'].flatMap(
    (key) => {
      const found = key === 'script' ? pick(key) : inherited(key);
      return found ? scriptLines(root, parsed, found, 0) : [];
    },
  );
  const tags = inherited('tags');
  return {
    name,
    pointer: pointerOf([name]),
    hidden: name.startsWith('.'),
    runnerArch: runnerArchFromTags(tags?.value),
    commands,
    actions: [],
    variables: mergedVariables(root, order),
    services: serviceImages(inherited('services')),
  };
}

/** Lists the job, then the jobs it extends, nearest first, without cycles. */
function lookupOrder(
  root: YamlObject,
  name: string,
  depth: number,
  seen: Set<string>,
): string[] {
  if (depth > MAX_DEPTH || seen.has(name) || !isObject(root[name])) {
    return [];
  }
  seen.add(name);
  const parents = asList(asObject(root[name]).extends)
    .map(asString)
    .filter((parent): parent is string => parent !== undefined)
    .reverse();
  return [
    name,
    ...parents.flatMap((parent) => lookupOrder(root, parent, depth + 1, seen)),
  ];
}

function pickKey(
  root: YamlObject,
  order: readonly string[],
  key: string,
): Found | undefined {
  for (const name of order) {
    const value = asObject(root[name])[key];
    if (value !== undefined) {
      return { value, pointer: pointerOf([name, key]) };
    }
  }
  return undefined;
}

function scriptLines(
  root: YamlObject,
  parsed: ParsedYaml,
  found: Found,
  depth: number,
): ShellLine[] {
  const { value, pointer } = found;
  if (typeof value === 'string') {
    return [{ text: value, pointer }];
  }
  if (!Array.isArray(value) || depth > MAX_DEPTH) {
    return [];
  }
  if (nodeAt(parsed, pointer)?.tag === '!reference') {
    const target = resolveReference(root, value);
    return target ? scriptLines(root, parsed, target, depth + 1) : [];
  }
  return value.flatMap((item, index) =>
    scriptLines(
      root,
      parsed,
      { value: item, pointer: `${pointer}/${index}` },
      depth + 1,
    ),
  );
}

function resolveReference(
  root: YamlObject,
  path: unknown[],
): Found | undefined {
  let value: unknown = root;
  for (const key of path) {
    value = asObject(value)[String(key)];
  }
  return value === undefined
    ? undefined
    : { value, pointer: pointerOf(path.map(String)) };
}

/** Global variables, then each job of the `extends` chain, nearest last. */
function mergedVariables(
  root: YamlObject,
  order: readonly string[],
): Record<string, Variable> {
  const merged: Record<string, Variable> = {};
  const layers = [
    { owner: [] as string[], value: root.variables },
    ...[...order].reverse().map((name) => ({
      owner: [name],
      value: asObject(root[name]).variables,
    })),
  ];
  for (const layer of layers) {
    for (const [key, value] of Object.entries(asObject(layer.value))) {
      merged[key] = {
        // A variable may be written as {value: ..., description: ...}.
        value: isObject(value) ? value.value : value,
        pointer: pointerOf([...layer.owner, 'variables', key]),
      };
    }
  }
  return merged;
}

function serviceImages(found: Found | undefined): ShellLine[] {
  if (!found) {
    return [];
  }
  const list = Array.isArray(found.value) ? found.value : [found.value];
  return list.flatMap((item, index) => {
    const image = asString(item) ?? asString(asObject(item).name);
    const pointer = Array.isArray(found.value)
      ? `${found.pointer}/${index}`
      : found.pointer;
    return image === undefined ? [] : [{ text: image, pointer }];
  });
}

/** Runner architecture from tags such as `saas-linux-small-arm64`. */
function runnerArchFromTags(tags: unknown): string | undefined {
  const list = asList(tags).map((tag) => String(tag).toLowerCase());
  if (list.length === 0) {
    // Untagged jobs on GitLab.com run on its amd64 runners.
    return 'amd64';
  }
  if (list.some((tag) => /arm64|aarch64/.test(tag))) {
    return 'arm64';
  }
  if (list.some((tag) => /amd64|x86_64/.test(tag))) {
    return 'amd64';
  }
  return undefined;
}
