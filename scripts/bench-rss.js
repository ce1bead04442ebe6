// Benchmark-only preload (`node --require scripts/bench-rss.js ...`):
// on exit, writes the process's peak resident set size in kilobytes to the
// file named by GEN_CI_BENCH_RSS_FILE. gen-ci itself never loads this.
'use strict';
const fs = require('node:fs');

const target = process.env.GEN_CI_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
