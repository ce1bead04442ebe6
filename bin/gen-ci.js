#!/usr/bin/env node
'use strict';
// dist/cli.bundle.js is the module function of dist/cli.js with every
// module it loads, written with its V8 code cache by `npm run build`
// (scripts/bundle.js). src/bundle-loader.ts explains why.
const fs = require('node:fs');
const path = require('node:path');
const { loadBundle } = require('../dist/bundle-loader.js');

const bundle = loadBundle(path.join(__dirname, '..', 'dist', 'cli.bundle.js'));

/** sysexits.h's EX_IOERR: the output could not be written. */
const OUTPUT_FAILED = 74;

/**
 * Tells whether a stream error comes from a reader that stopped early, as
 * `gen-ci --dry-run | head` does. The rest of the output then has nowhere
 * to go, which is no error of gen-ci's, so the command keeps its exit code.
 */
function isClosedPipe(error) {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

let finished = false;
let writeFailure;

/**
 * Reports a failed write, such as ENOSPC on a full disk, once: the caller
 * must not take the missing output for a complete one.
 */
function failOutput(error) {
  if (writeFailure !== undefined) {
    return;
  }
  writeFailure = error;
  try {
    fs.writeSync(2, `gen-ci: error: cannot write the output (${error.code ?? error.message})\n`);
  } catch {
    // stderr is the stream that failed, and the exit code still reports it.
  }
  process.exitCode = OUTPUT_FAILED;
  if (finished) {
    process.exit(OUTPUT_FAILED);
  }
}

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (!isClosedPipe(error)) {
      failOutput(error);
    }
  });
}

/** Returns a stream's write error that no 'error' event has reported yet. */
function pendingFailure(stream) {
  const error = stream.errored;
  return error && !isClosedPipe(error) ? error : undefined;
}

function flushed(stream) {
  return stream.writableLength === 0;
}

bundle.exports.main(process.argv.slice(2)).then((code) => {
  finished = true;
  const failure =
    pendingFailure(process.stdout) ?? pendingFailure(process.stderr);
  if (failure !== undefined) {
    failOutput(failure);
  }
  if (writeFailure !== undefined) {
    process.exit(OUTPUT_FAILED);
  }
  // Before it exits on its own, Node.js waits for V8's background tasks,
  // such as optimizing compiles that this run no longer needs, which took
  // about 5 ms on a 2-core machine. Output still queued on a pipe would
  // be lost, so exit early only when stdout and stderr are flushed.
  if (flushed(process.stdout) && flushed(process.stderr)) {
    process.exit(code);
  }
  process.exitCode = code;
});
