// Formats the results of scripts/bench.js as BENCHMARKS.md.
'use strict';
const fs = require('node:fs');

const ms = (value) => value.toFixed(0);

/** The goal of cases 1-3: a median of at most this many `node -e 0`. */
const RATIO_GOAL = 2.0;

/** Tells whether a goal case met the ratio goal; '-' for other cases. */
function goalMet(row) {
  if (!row.goal) {
    return '-';
  }
  // The verdict of the ratio as printed, to two decimals.
  return Number(row.ratio.toFixed(2)) <= RATIO_GOAL ? 'yes' : 'no';
}

function caseTable(rows) {
  const lines = [
    `| Case | Runs | Median | IQR | Min-max | \`node -e 0\` | Ratio | Within ${RATIO_GOAL.toFixed(1)}x | Peak RSS |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${row.runs} | ${ms(row.medianMs)} ms` +
        ` | ${ms(row.iqrMs[0])}-${ms(row.iqrMs[1])} ms` +
        ` | ${ms(row.minMs)}-${ms(row.maxMs)} ms | ${ms(row.baselineMs)} ms` +
        ` | ${row.ratio.toFixed(2)}x | ${goalMet(row)}` +
        ` | ${ms(row.rssMb)} MB |`,
    );
  }
  return lines.join('\n');
}

/** Fits a least-squares line through (units, median ms). */
function fitLine(scaling) {
  const n = scaling.length;
  const xs = scaling.map((row) => row.units);
  const ys = scaling.map((row) => row.medianMs);
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let index = 0; index < n; index += 1) {
    sxy += (xs[index] - meanX) * (ys[index] - meanY);
    sxx += (xs[index] - meanX) ** 2;
    syy += (ys[index] - meanY) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const rSquared = sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: meanY - slope * meanX, rSquared };
}

/** Returns the added ms per added unit since the previous size, or '-'. */
function increment(row, previous) {
  if (!previous) {
    return '-';
  }
  const perUnit =
    (row.medianMs - previous.medianMs) / (row.units - previous.units);
  return `${perUnit.toFixed(2)} ms`;
}

function scalingTable(scaling) {
  const lines = [
    '| Images | Images x architectures | Runs | Median | Min-max | Per image x architecture | Increment per added unit | Peak RSS |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  scaling.forEach((row, index) => {
    lines.push(
      `| ${row.images} | ${row.units} | ${row.runs} | ${ms(row.medianMs)} ms` +
        ` | ${ms(row.minMs)}-${ms(row.maxMs)} ms` +
        ` | ${(row.medianMs / row.units).toFixed(2)} ms` +
        ` | ${increment(row, scaling[index - 1])} | ${ms(row.rssMb)} MB |`,
    );
  });
  return lines.join('\n');
}

function machineLines(machine) {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores available, ${machine.memoryGb.toFixed(1)} GB memory`,
    `- System: ${machine.platform}`,
    `- Node.js ${machine.node}, gen-ci ${machine.genCi}`,
    `- Date: ${machine.date}`,
  ].join('\n');
}

function scalingText(scaling) {
  if (scaling.length === 0) {
    return '';
  }
  const fit = fitLine(scaling);
  return `## Scaling

gen-ci's command line takes one image per run, so this case calls the
programmatic API, \`generate()\` from \`dist/index.js\`, once per image in
one cold process (\`scripts/bench-scale.js\`). Each call renders the
three CIs for 8 architectures (amd64, 386, arm/v6, arm/v7, arm64, ppc64le,
s390x, riscv64) and runs the same checks as the command line. These runs
get the environment as given.

${scalingTable(scaling)}

A least-squares line through the medians: ${ms(fit.intercept)} ms +
${fit.slope.toFixed(2)} ms per image x architecture (R² ${fit.rSquared.toFixed(4)}).
The fixed part contains starting Node.js, loading gen-ci and the first
images, which run slower while V8 compiles and optimizes the code.
`;
}

function variableList(names) {
  return names.map((name) => `\`${name}\``).join(' and ');
}

/** Says how Node.js started in one table's runs. */
function environmentText(table) {
  const names = variableList(table.variables);
  if (table.variables.length === 0) {
    return `### Environment as given

No variable that slows the start of Node.js (\`NODE_EXTRA_CA_CERTS\`,
\`NODE_OPTIONS\`) was set.`;
  }
  if (!table.bare) {
    return `### Environment as given, with ${names} set

These start-up variables add the same time to every Node.js process,
\`node -e 0\` included, so they lower the ratio. The goal is judged on
the next table, with a bare start.`;
  }
  return `### Bare Node.js start, ${names} removed

The runs of this table, \`node -e 0\` included, got the environment
without ${names}, so \`node -e 0\` is Node.js's own start with nothing
added. This table decides the goal.`;
}

function commandLineTables(tables) {
  return tables
    .map((table) => `${environmentText(table)}\n\n${caseTable(table.rows)}`)
    .join('\n\n');
}

function formatReport({ machine, options, tables, scaling }) {
  const schemas =
    options.schemaDirs.length > 0
      ? `The public schemas came from \`--schema-dir\` folders. The untimed
first run compiled them into the schema cache, as \`gen-ci schemas update\`
does.`
      : `No public schemas were given (\`--schema-dir\`), so \`validate\` used
the built-in schemas and the lint rules only.`;
  return `# Benchmarks

Cold runs of gen-ci, measured by \`npm run bench\` (\`scripts/bench.js\`).
Each timed run is a new Node.js process, and each case first gets one
untimed run. The cases of a table take turns, and every timed run
follows a run of \`node -e 0\` on the same machine. The ratio is the
median of the per-pair ratios, so drift of the machine's speed cancels
out. Times include starting the process. Peak RSS is the median of
\`process.resourceUsage().maxRSS\` over the runs.

${machineLines(machine)}

## Command line

The generate cases use \`--arch ppc64le,s390x,arm64,arm/v7 --ci
travis,gitlab,github --image example/app\`, and \`--check\` reads the same
options from \`gen-ci.yml\`. \`--check\` renders and compares; the files
it finds current skip the output checks, which this version ran when it
wrote them. The target for these cases is a median of at most 2.0 times
\`node -e 0\`. The last row, \`--version\`, is no goal case: it shows what
starting gen-ci costs before any work (loading the bundle with its code
cache, and yargs parsing the flags).

${schemas}

${commandLineTables(tables)}

${scalingText(scaling)}`;
}

function writeReport(file, results) {
  fs.writeFileSync(file, formatReport(results));
}

module.exports = { writeReport, formatReport };
