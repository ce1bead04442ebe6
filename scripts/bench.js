#!/usr/bin/env node
// Measures cold runs of gen-ci against `node -e 0` and writes BENCHMARKS.md.
// Every timed run is a new process. The cases take turns, and each run
// follows a `node -e 0` run, so a machine that speeds up or slows down
// during the benchmark shifts all of them. The ratio is the median of the
// per-pair ratios.
// Peak memory comes from the bench-only preload scripts/bench-rss.js.
//
// Usage: npm run bench [-- --runs N] [--scale-runs N] [--sizes 50,100,200]
//          [--schema-dir DIR]... [--output FILE]
// Environment: GEN_CI_BENCH_RUNS and GEN_CI_BENCH_SCALE_RUNS set the
// defaults of --runs and --scale-runs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { writeReport } = require('./bench-report');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'gen-ci.js');
const RSS_PRELOAD = path.join(__dirname, 'bench-rss.js');
const SCALE_SCRIPT = path.join(__dirname, 'bench-scale.js');

const ARCHES = 'ppc64le,s390x,arm64,arm/v7';
const CIS = 'travis,gitlab,github';
const IMAGE = 'example/app';
const PIPELINES = [
  '.travis.yml',
  '.gitlab-ci.yml',
  '.github/workflows/multiarch.yml',
];
const CONFIG = `arch: [ppc64le, s390x, arm64, arm/v7]
ci: [travis, gitlab, github]
image: ${IMAGE}
`;

/** Functions that store each option's value in the options object. */
const OPTION_SETTERS = {
  '--runs': (options, value) => (options.runs = Number(value)),
  '--scale-runs': (options, value) => (options.scaleRuns = Number(value)),
  '--sizes': (options, value) => (options.sizes = value.split(',').map(Number)),
  '--schema-dir': (options, value) =>
    options.schemaDirs.push(path.resolve(value)),
  '--output': (options, value) => (options.output = path.resolve(value)),
};

function parseArgs(argv) {
  const options = {
    runs: Number(process.env.GEN_CI_BENCH_RUNS ?? 15),
    scaleRuns: Number(process.env.GEN_CI_BENCH_SCALE_RUNS ?? 5),
    sizes: [50, 100, 200],
    schemaDirs: [],
    output: path.join(ROOT, 'BENCHMARKS.md'),
  };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    const set = OPTION_SETTERS[flag];
    if (!set) {
      throw new Error(
        `unknown option ${flag}; expected one of ${Object.keys(OPTION_SETTERS).join(', ')}`,
      );
    }
    if (value === undefined) {
      throw new Error(`${flag} needs a value`);
    }
    set(options, value);
  }
  const counts = [options.runs, options.scaleRuns, ...options.sizes];
  if (!counts.every((count) => Number.isInteger(count) && count > 0)) {
    throw new Error('--runs, --scale-runs and --sizes take integers > 0');
  }
  return options;
}

/**
 * Variables that change how every Node.js process starts. With
 * NODE_EXTRA_CA_CERTS set, Node.js reads and parses the named certificate
 * file before running any code: about 50 ms on the machine this was
 * written on, where `node -e 0` took 30 ms without it.
 */
const STARTUP_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];

/** Returns the environment without the variables that slow each start. */
function bareEnvironment() {
  const env = { ...process.env };
  for (const name of STARTUP_VARIABLES) {
    delete env[name];
  }
  return env;
}

/** Returns the names of the start-up variables that this shell sets. */
function startupVariablesSet() {
  return STARTUP_VARIABLES.filter((name) => process.env[name] !== undefined);
}

/**
 * Runs one cold process in `workspace.env` and returns its wall time (ms)
 * and peak RSS (KB).
 */
function runOnce(command, workspace) {
  const rssFile = path.join(workspace.dir, 'rss');
  fs.rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ['--require', RSS_PRELOAD, ...command.args],
    {
      cwd: command.cwd,
      env: { ...workspace.env, ...command.env, GEN_CI_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    throw new Error(
      `${command.args.join(' ')} exited with ${child.status}:\n${child.stderr}`,
    );
  }
  return { ms, rssKb: Number(fs.readFileSync(rssFile, 'utf8')) };
}

const BASELINE = { args: ['-e', '0'] };

/**
 * Times `runs` cold runs of each command, each right after a `node -e 0`
 * run. The commands take turns, so that a change in the machine's speed
 * during the benchmark affects all of them alike. `prepare` runs before
 * each timed run and is not timed. Returns the samples of each command.
 */
function measure(commands, runs, workspace) {
  for (const command of commands) {
    command.prepare?.();
    runOnce(command, workspace);
  }
  const samples = commands.map(() => []);
  for (let run = 0; run < runs; run += 1) {
    commands.forEach((command, index) => {
      const baseline = runOnce(BASELINE, workspace);
      command.prepare?.();
      const sample = runOnce(command, workspace);
      samples[index].push({ ...sample, baselineMs: baseline.ms });
    });
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return samples;
}

function genCi(cwd, args, env = {}) {
  return { args: [BIN, ...args, '--quiet'], cwd, env };
}

/** Returns the generate case, which writes into an empty folder each run. */
function generateCase(workspace) {
  const out = path.join(workspace.dir, 'generate');
  const command = genCi(out, ['--arch', ARCHES, '--ci', CIS, '--image', IMAGE]);
  command.prepare = () => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out);
  };
  return command;
}

/** Creates a folder with gen-ci.yml and the files it generates. */
function createProject(workspace) {
  const project = path.join(workspace.dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'gen-ci.yml'), CONFIG);
  runOnce(genCi(project, []), workspace);
  return project;
}

function validateCase(project, workspace, schemaDirs) {
  const cache = fs.mkdtempSync(path.join(workspace.dir, 'schema-cache-'));
  const dirFlags = schemaDirs.flatMap((dir) => ['--schema-dir', dir]);
  const args = ['validate', ...PIPELINES, ...dirFlags];
  return genCi(project, args, { GEN_CI_SCHEMA_CACHE: cache });
}

function scaleCase(images) {
  return { args: [SCALE_SCRIPT, String(images)], cwd: ROOT, env: {} };
}

function defineCases(options, workspace) {
  const project = createProject(workspace);
  const cases = [
    {
      name: 'generate: 3 CIs x 4 architectures, written to an empty folder',
      command: generateCase(workspace),
    },
    {
      name: 'validate the 3 generated pipelines (built-in schemas, lint)',
      command: validateCase(project, workspace, []),
    },
  ];
  if (options.schemaDirs.length > 0) {
    cases.push({
      name: 'validate the 3 generated pipelines, with the public schemas',
      command: validateCase(project, workspace, options.schemaDirs),
    });
  }
  cases.push({
    name: '--check on an up-to-date folder with gen-ci.yml',
    command: genCi(project, ['--check']),
  });
  // Not a goal case: the cost of starting gen-ci at all, which every
  // other case pays before doing any work.
  cases.push({
    name: '--version: loads gen-ci and parses the flags only',
    command: genCi(project, ['--version']),
    goal: false,
  });
  return cases;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Returns the 25th and 75th percentiles, by linear interpolation. */
function quartiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction) => {
    const position = (sorted.length - 1) * fraction;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  };
  return [at(0.25), at(0.75)];
}

function summarize(name, samples) {
  const times = samples.map((sample) => sample.ms);
  const baselines = samples.map((sample) => sample.baselineMs);
  return {
    name,
    runs: samples.length,
    medianMs: median(times),
    iqrMs: quartiles(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    baselineMs: median(baselines),
    ratio: median(samples.map((sample) => sample.ms / sample.baselineMs)),
    rssMb: median(samples.map((sample) => sample.rssKb)) / 1024,
    maxRssMb: Math.max(...samples.map((sample) => sample.rssKb)) / 1024,
  };
}

function genCiVersion() {
  const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  return JSON.parse(text).version;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return {
    cpu: cpu.trim(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: os.totalmem() / 1024 ** 3,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    genCi: genCiVersion(),
    date: new Date().toISOString().slice(0, 10),
  };
}

function printRow(row) {
  console.log(
    `${row.name}\n  median ${row.medianMs.toFixed(0)} ms` +
      ` (IQR ${row.iqrMs.map((ms) => ms.toFixed(0)).join('-')},` +
      ` min-max ${row.minMs.toFixed(0)}-${row.maxMs.toFixed(0)})` +
      `, node -e 0 ${row.baselineMs.toFixed(0)} ms` +
      `, ratio ${row.ratio.toFixed(2)}x` +
      `, peak RSS ${row.rssMb.toFixed(0)} MB`,
  );
}

/**
 * Returns the environments of the command-line tables: the one this shell
 * gives, and a bare Node.js start when the shell sets start-up variables.
 */
function environments(dir) {
  const set = startupVariablesSet();
  const asGiven = { dir, env: process.env, variables: set, bare: set.length === 0 };
  if (set.length === 0) {
    return [asGiven];
  }
  return [asGiven, { dir, env: bareEnvironment(), variables: set, bare: true }];
}

function measureCommandLine(options, workspace) {
  const names = workspace.variables.join(' and ');
  console.log(
    workspace.bare && workspace.variables.length > 0
      ? `bare Node.js start, without ${names}:`
      : `environment as given${names ? `, with ${names} set` : ''}:`,
  );
  const cases = defineCases(options, workspace);
  const caseSamples = measure(
    cases.map((entry) => entry.command),
    options.runs,
    workspace,
  );
  const rows = cases.map((entry, index) => ({
    ...summarize(entry.name, caseSamples[index]),
    goal: entry.goal !== false,
  }));
  rows.forEach(printRow);
  return { variables: workspace.variables, bare: workspace.bare, rows };
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-ci-bench-'));
  try {
    const tables = environments(dir).map((workspace, index) => {
      const folder = path.join(dir, String(index));
      fs.mkdirSync(folder);
      return measureCommandLine(options, { ...workspace, dir: folder });
    });
    const scaleWorkspace = environments(dir)[0];
    const scaleSamples = measure(
      options.sizes.map(scaleCase),
      options.scaleRuns,
      scaleWorkspace,
    );
    const scaling = options.sizes.map((images, index) => ({
      images,
      units: images * 8,
      ...summarize(
        `${images} images x 8 architectures x 3 CIs (API)`,
        scaleSamples[index],
      ),
    }));
    scaling.forEach(printRow);
    writeReport(options.output, {
      machine: machine(),
      options,
      tables,
      scaling,
    });
    console.log(`wrote ${path.relative(process.cwd(), options.output)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
