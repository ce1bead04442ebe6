#!/usr/bin/env node
// The scaling case of scripts/bench.js: one process renders IMAGES image
// configs through the programmatic API, each for the architectures named
// by --arches and all three CIs, with the checks generate() always runs.
// gen-ci's command line takes one image per run, so this is how one run
// covers many images.
// Usage: node scripts/bench-scale.js IMAGES [ARCH,ARCH,...]
'use strict';
const path = require('node:path');

const { generate } = require(path.join(__dirname, '..', 'dist', 'index.js'));

const DEFAULT_ARCHES = 'amd64,386,arm/v6,arm/v7,arm64,ppc64le,s390x,riscv64';
const CIS = ['travis', 'gitlab', 'github'];

function main(argv) {
  const images = Number(argv[0]);
  if (!Number.isInteger(images) || images < 0) {
    console.error(`bench-scale: invalid image count ${argv[0]}; pass an integer >= 0`);
    return 2;
  }
  const arch = (argv[1] ?? DEFAULT_ARCHES).split(',');
  let files = 0;
  for (let index = 0; index < images; index += 1) {
    const image = `example/app-${index}`;
    files += generate({ arch, ci: CIS, image }).length;
  }
  // Printed so that a run which rendered nothing cannot pass as fast.
  console.log(`${files} files`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
