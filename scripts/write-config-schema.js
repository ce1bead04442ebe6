#!/usr/bin/env node
// Writes schemas/gen-ci-config.schema.json, the JSON Schema of gen-ci.yml,
// from the option tables in the built package (dist/). `npm run
// schema:update` runs it after a build, and `npm pack` runs it through
// prepack so that the published schema matches the published code.
// test/config-schema.test.ts fails when the committed file is stale.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { CONFIG_SCHEMA_FILE, configSchemaText } = require(
  path.join(root, 'dist', 'config-file', 'schema.js'),
);

const target = path.join(root, 'schemas', CONFIG_SCHEMA_FILE);
fs.writeFileSync(target, configSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
