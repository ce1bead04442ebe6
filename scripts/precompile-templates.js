#!/usr/bin/env node
// Precompiles templates/**/*.hbs into dist/precompiled-templates.js, so
// that gen-ci renders its built-in templates with Handlebars' runtime
// instead of compiling them on each run. Runs after `tsc` in
// `npm run build`, because it uses dist/render/precompile.js. Each entry
// carries the sha256 of its source; gen-ci compiles a stale one itself.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { precompiledTemplatesModule } = require(
  path.join(root, 'dist', 'render', 'precompile.js'),
);
const { PRECOMPILED_TEMPLATES_FILE } = require(
  path.join(root, 'dist', 'render', 'templates.js'),
);

/** Replaces a file by renaming, so a running gen-ci never reads half. */
function writeAtomically(target, content) {
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}

writeAtomically(PRECOMPILED_TEMPLATES_FILE, precompiledTemplatesModule());
console.log(
  `precompiled the templates into ${path.relative(root, PRECOMPILED_TEMPLATES_FILE)}`,
);
