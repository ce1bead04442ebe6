#!/usr/bin/env node
'use strict';
// dist/cli.bundle.js is dist/cli.js with every module it loads in one
// file, written with its V8 code cache by `npm run build`
// (scripts/bundle.js). src/bundle-loader.ts explains why.
const path = require('node:path');
const { loadBundle } = require('../dist/bundle-loader.js');

const bundle = loadBundle(path.join(__dirname, '..', 'dist', 'cli.bundle.js'));

function flushed(stream) {
  return stream.writableLength === 0;
}

bundle.exports.main(process.argv.slice(2)).then((code) => {
  // Before it exits on its own, Node.js waits for V8's background tasks,
  // such as optimizing compiles that this run no longer needs, which took
  // about 5 ms on a 2-core machine. Output still queued on a pipe would
  // be lost, so exit early only when stdout and stderr are flushed.
  if (flushed(process.stdout) && flushed(process.stderr)) {
    process.exit(code);
  }
  process.exitCode = code;
});
