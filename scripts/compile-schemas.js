#!/usr/bin/env node
// Compiles every schemas/<ci>.schema.json to ajv standalone validator code
// in dist/validators/<ci>.js, so that gen-ci loads its validators instead
// of compiling them on each run. Runs after `tsc` in `npm run build`,
// because it uses the compiled dist/validate/schema-compile.js. Each file
// ends with the sha256 of its schema; gen-ci ignores a stale file.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { compileStandalone, sha256 } = require(
  path.join(root, 'dist', 'validate', 'schema-compile.js'),
);

const schemaDir = path.join(root, 'schemas');
const outDir = path.join(root, 'dist', 'validators');
const SUFFIX = '.schema.json';

/** Replaces a file by renaming, so a running gen-ci never reads half. */
function writeAtomically(target, content) {
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}

fs.mkdirSync(outDir, { recursive: true });
const names = fs
  .readdirSync(schemaDir)
  .filter((name) => name.endsWith(SUFFIX))
  .sort();
const written = new Set();
for (const name of names) {
  const text = fs.readFileSync(path.join(schemaDir, name), 'utf8');
  const code = compileStandalone(JSON.parse(text), 'builtin');
  const stamp = `\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256(text))};\n`;
  const file = `${name.slice(0, -SUFFIX.length)}.js`;
  writeAtomically(path.join(outDir, file), code + stamp);
  written.add(file);
}
// Code of schemas that no longer exist would otherwise ship in dist/.
for (const file of fs.readdirSync(outDir)) {
  if (file.endsWith('.js') && !written.has(file)) {
    fs.rmSync(path.join(outDir, file), { force: true });
  }
}
console.log(
  `compiled ${names.length} schemas into ${path.relative(root, outDir)}`,
);
