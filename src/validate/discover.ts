/**
 * Detection of a file's CI from its path, and discovery of the CI files
 * of a repository folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CiName } from '../ci/platforms';

const WORKFLOW = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;

/** Returns the CI of a file from its path, or undefined for other paths. */
export function detectCi(file: string): CiName | undefined {
  const normalised = file.split(path.sep).join('/');
  const base = path.posix.basename(normalised);
  if (base === '.travis.yml') {
    return 'travis';
  }
  if (base === '.gitlab-ci.yml' || base.endsWith('.gitlab-ci.yml')) {
    return 'gitlab';
  }
  return WORKFLOW.test(normalised) ? 'github' : undefined;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * Lists the CI files in `dir`: `.travis.yml`, `.gitlab-ci.yml` and
 * `*.gitlab-ci.yml` at the top, and `.github/workflows/*.yml` or `.yaml`.
 * Paths are relative to `dir`, sorted.
 */
export function discoverCiFiles(dir: string): string[] {
  const top = listDir(dir).filter(
    (name) => detectCi(name) !== undefined && isFile(path.join(dir, name)),
  );
  const workflowDir = path.join('.github', 'workflows');
  const workflows = listDir(path.join(dir, workflowDir))
    .map((name) => path.join(workflowDir, name))
    .filter(
      (file) => detectCi(file) === 'github' && isFile(path.join(dir, file)),
    );
  return [...top, ...workflows];
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Returns the repository root of a CI file: the folder above `.github` for a
 * workflow, else the file's own folder.
 */
export function repositoryRoot(file: string): string {
  const dir = path.dirname(path.resolve(file));
  if (detectCi(file) === 'github') {
    return path.dirname(path.dirname(dir));
  }
  return dir;
}

/** Reads files of the repository, refusing paths that leave it. */
export function repositoryReader(root: string) {
  return (relativePath: string): string | undefined => {
    const target = path.resolve(root, relativePath);
    if (!target.startsWith(root + path.sep)) {
      return undefined;
    }
    try {
      return fs.readFileSync(target, 'utf8');
    } catch {
      return undefined;
    }
  };
}
