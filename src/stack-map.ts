/**
 * Maps the positions in a stack trace from the minified bundle back to the
 * files it was built from, with the source map that `npm run build` writes
 * next to the bundle. Node.js's --enable-source-maps does not apply here,
 * because bin/gen-ci.js compiles the bundle with vm.Script.
 */
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';

/** A frame position: `<file>:<line>:<column>`, 1-based. */
const POSITION = /([^\s()]+):(\d+):(\d+)/g;

function loadSourceMap(mapFile: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Returns `stack` with each position in `bundleFile` replaced by the
 * position in the original file, relative to the package folder. Without
 * a readable `<bundleFile>.map`, returns `stack` unchanged.
 */
export function mapStack(stack: string, bundleFile: string): string {
  const map = loadSourceMap(`${bundleFile}.map`);
  if (map === undefined) {
    return stack;
  }
  const bundleDir = path.dirname(bundleFile);
  const packageDir = path.dirname(bundleDir);
  return stack.replace(POSITION, (whole, file: string, line, column) => {
    if (path.resolve(file) !== path.resolve(bundleFile)) {
      return whole;
    }
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) {
      return whole;
    }
    const source = path.resolve(bundleDir, entry.originalSource);
    const relativeSource = path.relative(packageDir, source);
    return `${relativeSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
