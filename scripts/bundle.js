#!/usr/bin/env node
// Bundles the command line (dist/cli.js and the modules it requires,
// gen-ci's and its dependencies') into dist/cli.bundle.js, which
// bin/gen-ci.js loads, then writes V8's code cache for it (see
// src/bundle-loader.ts). One file spares Node.js the lookup of some 250
// modules on each run, and the cache spares it compiling them. Runs after
// `tsc` in `npm run build`; dist/index.js, the programmatic API, stays
// unbundled.
//
// NOTE: bundled yargs finds no locales folder next to the bundle, so its
// own messages ("Options:", "Unknown argument") are always in English,
// like gen-ci's, whatever the LANG variable is set to.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const bundleFile = path.join(root, 'dist', 'cli.bundle.js');
const { BUNDLE_WRAPPER, loadBundle, writeBundleCache } = require(
  path.join(root, 'dist', 'bundle-loader.js'),
);

/**
 * src/bundle-loader.ts runs the bundle as a vm.Script without a handler
 * for dynamic `import()`, which would then fail at run time.
 */
function checkNoDynamicImport() {
  const code = fs.readFileSync(bundleFile, 'utf8');
  const match = /\bimport\s*\(/.exec(code);
  if (match) {
    const line = code.slice(0, match.index).split('\n').length;
    throw new Error(
      `${path.relative(root, bundleFile)}:${line} calls import(), which the bundle loader cannot run; require() the module instead`,
    );
  }
}

/**
 * Minified, the bundle is half the size and a cold run executes about 13%
 * fewer instructions (measured with callgrind: 625 M before, 545 M after),
 * from less source to read, hash and decode. Function names in stack
 * traces are then short, but the internal-error report maps positions
 * back through dist/cli.bundle.js.map (src/stack-map.ts). The map leaves
 * out the sources' text, because the files it points to (dist/ and the
 * dependencies) are installed with gen-ci.
 * The file contains the module function itself (banner and footer), so
 * the loader compiles the file's text without copying it into a wrapper.
 */
function bundle() {
  esbuild.buildSync({
    entryPoints: [path.join(root, 'dist', 'cli.js')],
    outfile: bundleFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    legalComments: 'external',
    banner: { js: BUNDLE_WRAPPER.start },
    footer: { js: BUNDLE_WRAPPER.end },
    logLevel: 'warning',
  });
}

/**
 * The commands whose code the cache should hold: the ones run in editor
 * and pre-commit hooks, with options from flags and from gen-ci.yml.
 * Functions that they do not call compile on first use, as without a
 * cache.
 */
function trainingRuns(workspace) {
  const project = path.join(workspace, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'gen-ci.yml'),
    'arch: [ppc64le, s390x, arm64, arm/v7]\nci: [travis, gitlab, github]\n',
  );
  const flags = [
    '--arch', 'ppc64le,s390x,arm64,arm/v7',
    '--ci', 'travis,gitlab,github',
    '--image', 'example/app',
    '--out', workspace,
    '--quiet',
  ];
  const pipelines = [
    '.travis.yml',
    '.gitlab-ci.yml',
    '.github/workflows/multiarch.yml',
  ].map((file) => path.join(workspace, file));
  const cacheDir = path.join(workspace, 'cache');
  return [
    flags,
    ['--out', project, '--quiet'],
    ['--check', '--out', project, '--quiet'],
    ['validate', ...pipelines, '--cache-dir', cacheDir, '--quiet'],
  ];
}

async function writeCache() {
  const loaded = loadBundle(bundleFile);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-ci-build-'));
  try {
    for (const argv of trainingRuns(workspace)) {
      const code = await loaded.exports.main(argv);
      if (code !== 0) {
        throw new Error(`gen-ci ${argv.join(' ')} exited with ${code}`);
      }
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  writeBundleCache(bundleFile, loaded);
}

bundle();
checkNoDynamicImport();
writeCache().then(
  () => {
    console.log(
      `bundled the command line into ${path.relative(root, bundleFile)}, with its code cache`,
    );
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
