#!/usr/bin/env node
'use strict';
// dist/cli.bundle.js is dist/cli.js with every module it loads in one
// file, written with its V8 code cache by `npm run build`
// (scripts/bundle.js). src/bundle-loader.ts explains why.
const path = require('node:path');
const { loadBundle } = require('../dist/bundle-loader.js');

const bundle = loadBundle(path.join(__dirname, '..', 'dist', 'cli.bundle.js'));

/**
 * A reader that stops early, as `gen-ci --dry-run | head` does, closes the
 * pipe. The rest of the output has nowhere to go, which is no error of
 * gen-ci's: the command runs on and exits with its own code.
 */
function ignoreClosedPipe(stream) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
      throw error;
    }
  });
}

ignoreClosedPipe(process.stdout);
ignoreClosedPipe(process.stderr);

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
