/**
 * Snapshot folders: `snapshots/<case>/` contains the generated files under
 * their real names, so a review diff reads like the output itself. Set
 * GEN_CI_UPDATE_SNAPSHOTS=1 (`npm run snapshots:update`) to rewrite them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GeneratedFile } from '../../src/targets/types';
import { listFiles } from './cli';

export const SNAPSHOT_DIR = path.join(__dirname, '..', '..', 'snapshots');

export const UPDATING = process.env.GEN_CI_UPDATE_SNAPSHOTS === '1';

export function writeSnapshot(name: string, files: readonly GeneratedFile[]) {
  const dir = path.join(SNAPSHOT_DIR, name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
}

/** Reads a snapshot's files as a path-to-content map, empty when missing. */
export function readSnapshot(name: string): Record<string, string> {
  const dir = path.join(SNAPSHOT_DIR, name);
  if (!fs.existsSync(dir)) {
    return {};
  }
  const files: Record<string, string> = {};
  for (const relative of listFiles(dir)) {
    files[relative] = fs.readFileSync(path.join(dir, relative), 'utf8');
  }
  return files;
}

export function asMap(files: readonly GeneratedFile[]) {
  return Object.fromEntries(files.map((file) => [file.path, file.content]));
}
