/** Fixture folders written from a path-to-content map. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './cli';

export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(dir, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dir;
}

/** A new temporary folder holding `files`. */
export function tempTree(files: Record<string, string> = {}): string {
  return writeTree(tempDir(), files);
}

export function readText(dir: string, relative: string): string {
  return fs.readFileSync(path.join(dir, relative), 'utf8');
}
