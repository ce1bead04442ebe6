/**
 * Files that an earlier run generated but the current config no longer
 * produces, such as the Dockerfile of an architecture that was removed.
 * Only files that carry gen-ci's marker and have a name gen-ci writes are
 * candidates, so a user's own files are never reported or deleted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bodyHashStatus } from '../body-hash';
import { CI_NAMES } from '../ci/platforms';
import { TARGETS } from '../targets';
import type { GeneratedFile } from '../targets/types';
import { compareText } from '../validate/findings';
import {
  findLinkedFolder,
  isGeneratedByGenCi,
  readExisting,
  resolveInside,
} from '../writer';

/** Names that gen-ci writes at the top of the output folder. */
const TOP_LEVEL_NAMES = /^(Dockerfile\.[^/]+|\.travis\.yml|\.gitlab-ci\.yml)$/;
const WORKFLOW_DIR = '.github/workflows';
const WORKFLOW_NAMES = /\.ya?ml$/;

export interface StaleFile {
  readonly path: string;
  /** The recorded hash no longer matches: someone edited the file. */
  readonly edited: boolean;
}

function listNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Checks for a regular file: a symbolic link may point at a user's file. */
function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function candidatePaths(outDir: string): string[] {
  const names = new Set(
    listNames(outDir).filter((name) => TOP_LEVEL_NAMES.test(name)),
  );
  for (const name of listNames(path.join(outDir, WORKFLOW_DIR))) {
    if (WORKFLOW_NAMES.test(name)) {
      names.add(`${WORKFLOW_DIR}/${name}`);
    }
  }
  // Each target's default pipeline path, in case a target writes elsewhere.
  for (const ci of CI_NAMES) {
    const target = TARGETS[ci];
    if (target) {
      names.add(target.pipelinePath());
    }
  }
  // A file below a linked folder lies outside the output folder.
  return [...names].filter(
    (name) =>
      isRegularFile(path.join(outDir, name)) &&
      findLinkedFolder(outDir, name) === undefined,
  );
}

/** Generated files in `outDir` that are not among `files`, sorted. */
export function findStaleFiles(
  outDir: string,
  files: readonly GeneratedFile[],
): StaleFile[] {
  const produced = new Set(files.map((file) => file.path));
  const stale: StaleFile[] = [];
  for (const relative of candidatePaths(outDir)) {
    if (produced.has(relative)) {
      continue;
    }
    const content = readExisting(resolveInside(outDir, relative));
    if (content !== undefined && isGeneratedByGenCi(content)) {
      const edited = bodyHashStatus(content) === 'edited';
      stale.push({ path: relative, edited });
    }
  }
  return stale.sort((a, b) => compareText(a.path, b.path));
}
