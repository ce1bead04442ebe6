/**
 * `gen-ci [generate]`: resolve options (flags over the config file), render
 * in memory, then write, print with `--dry-run` or compare with `--check`.
 * The core does no I/O, so this command reads the user's Dockerfile and
 * inspects `--out` for the default CI list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argv } from 'yargs';
import { CI_NAMES, type CiName } from '../ci/platforms';
import {
  resolveConfig,
  type ResolvedConfig,
  type SourceFile,
} from '../config';
import { CONFIG_OPTIONS } from '../config-file/keys';
import { UsageError } from '../errors';
import { checkRendered, renderFromConfig } from '../generate';
import { readInputFile } from '../input-file';
import type { Logger } from '../log';
import { allCurrent } from '../output/drift';
import { customTemplateDirs } from '../render/custom-templates';
import { TARGETS } from '../targets';
import type { GeneratedFile } from '../targets/types';
import { isGeneratedByGenCi } from '../writer';
import { addConfigOption, resolveCommandConfig } from './config-args';
import { addOptions, singleValue } from './options';
import { emitFiles } from './output';

export interface GenerateArgs {
  arch?: string[];
  ci?: string[];
  image?: string;
  base?: string;
  dockerfile?: string;
  'build-arg'?: string[];
  strategy?: string;
  'emulator-image'?: string;
  branch?: string;
  runner?: string[];
  'docker-version'?: string;
  'workflow-name'?: string;
  'pin-actions'?: string;
  out: string;
  'dry-run': boolean;
  force: boolean;
  check: boolean;
  prune: boolean;
  config?: string;
  templates?: string;
}

/** The options that shape the config, without the output flags. */
export type OptionArgs = Omit<
  GenerateArgs,
  'dry-run' | 'force' | 'check' | 'prune'
>;

export function generateBuilder(yargs: Argv): Argv<GenerateArgs> {
  return addOptions(addConfigOption(yargs), CONFIG_OPTIONS)
    .option('out', {
      type: 'string',
      default: '.',
      coerce: singleValue('out'),
      description: 'Folder to write into (the repository root)',
    })
    .option('dry-run', {
      type: 'boolean',
      default: false,
      description: 'Print the files instead of writing them',
    })
    .option('force', {
      type: 'boolean',
      default: false,
      description:
        'Overwrite files that gen-ci did not generate or that were edited by hand',
    })
    .option('check', {
      type: 'boolean',
      default: false,
      description:
        'Write nothing; print a unified diff of each file that differs and exit 1 if any does',
    })
    .option('prune', {
      type: 'boolean',
      default: false,
      description:
        'Delete generated files that the config no longer produces, such as the Dockerfile of a removed architecture',
    })
    .example(
      '$0 --arch ppc64le,s390x --image example/app',
      'Travis CI pipeline and Dockerfile.ppc64le, Dockerfile.s390x',
    )
    .example(
      '$0 --arch arm64 --arch arm/v7 --ci travis --dry-run',
      'Print the files instead of writing them',
    )
    .example(
      '$0 --arch arm64,s390x --check',
      'Exit 1 when the files in . differ from what these options give; with a gen-ci.yml, gen-ci --check alone',
    )
    .example(
      '$0 --config ci/gen-ci.yml --prune',
      'Read options from ci/gen-ci.yml; delete files it no longer produces',
    )
    .example(
      '$0 --arch arm64 --templates ci/templates',
      'Render with the .hbs files in ci/templates replacing built-in ones',
    ) as unknown as Argv<GenerateArgs>;
}

/** Reads a Dockerfile into memory, with a clear error when it is missing. */
function readDockerfile(file: string, flag: boolean, out: string): SourceFile {
  const input = readInputFile(file);
  if ('text' in input) {
    // The header records this name, so it is the path from --out, as a
    // command run in --out would give it.
    const fileName = path.relative(out, file).split(path.sep).join('/');
    return { fileName, content: input.text };
  }
  throw new UsageError(
    'DOCKERFILE_MISSING',
    `${flag ? '--dockerfile ' : ''}${file} not found; pass an existing file or omit --dockerfile to generate a starter`,
  );
}

/**
 * Rejects a Dockerfile found in --out that links to a file outside it:
 * its text would be copied into the generated Dockerfiles.
 */
function checkInsideOut(candidate: string, out: string): void {
  const target = fs.realpathSync(candidate);
  const root = fs.realpathSync(out);
  if (!target.startsWith(root + path.sep)) {
    throw new UsageError(
      'DOCKERFILE_INVALID',
      `${candidate} is a symbolic link to ${target}, outside --out ${out}; pass --dockerfile ${target} if you mean to use that file`,
    );
  }
}

function findDockerfile(args: OptionArgs): SourceFile | undefined {
  if (args.dockerfile !== undefined) {
    return readDockerfile(args.dockerfile, true, args.out);
  }
  const candidate = path.join(args.out, 'Dockerfile');
  if (!fs.existsSync(candidate)) {
    return undefined;
  }
  checkInsideOut(candidate, args.out);
  return readDockerfile(candidate, false, args.out);
}

/**
 * The CIs whose pipeline files already exist in `out`. GitHub also counts
 * when any workflow in `.github/workflows` has the gen-ci header, because
 * `--workflow-name` may have given it another name. Only the CI is
 * detected: the workflow name still comes from the flags or config file.
 */
export function detectCis(out: string): CiName[] {
  return CI_NAMES.filter((ci) => {
    const target = TARGETS[ci];
    if (target === undefined) {
      return false;
    }
    if (fs.existsSync(path.join(out, target.pipelinePath()))) {
      return true;
    }
    return ci === 'github' && hasGeneratedWorkflow(out);
  });
}

/** Bytes read from the start of a workflow to look for the header. */
const HEADER_READ_BYTES = 4096;

function hasGeneratedWorkflow(out: string): boolean {
  const dir = path.join(out, '.github', 'workflows');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // No workflows folder, or one that cannot be read: nothing to detect.
    return false;
  }
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .some((name) => isGeneratedByGenCi(readHead(path.join(dir, name))));
}

/** Returns the first bytes of a regular file, or '' for anything else. */
function readHead(file: string): string {
  let fd: number | undefined;
  try {
    if (!fs.lstatSync(file).isFile()) {
      return '';
    }
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(HEADER_READ_BYTES);
    const length = fs.readSync(fd, buffer, 0, HEADER_READ_BYTES, 0);
    return buffer.toString('utf8', 0, length);
  } catch {
    // An unreadable file is not evidence of a gen-ci workflow.
    return '';
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}

function defaultCis(args: OptionArgs): string[] {
  if (args.ci && args.ci.length > 0) {
    return args.ci;
  }
  const detected = detectCis(args.out);
  return detected.length > 0 ? detected : ['travis'];
}

/** Resolves the generator options of merged flags and config values. */
export function resolveArgs(args: OptionArgs): ResolvedConfig {
  return resolveConfig({
    arch: args.arch ?? [],
    ci: defaultCis(args),
    image: args.image,
    base: args.base,
    dockerfile: findDockerfile(args),
    buildArgs: args['build-arg'],
    strategy: args.strategy,
    emulatorImage: args['emulator-image'],
    branch: args.branch,
    runner: args.runner,
    dockerVersion: args['docker-version'],
    workflowName: args['workflow-name'],
    pinActions: args['pin-actions'],
  });
}

/**
 * Tells whether the output needs gen-ci's checks. `--check` skips them
 * when the output is on disk already: gen-ci writes only checked output,
 * and every Dockerfile's header names the version, so the version that
 * wrote those bytes checked them. The checks were about 40% of a cold
 * `--check` run (121 ms to 70 ms on a 2-core machine).
 * NOTE: this takes one version string for one set of checks, which holds
 * for releases but not for unreleased builds between version bumps.
 */
function needsChecks(args: GenerateArgs, files: readonly GeneratedFile[]) {
  return !(args.check && allCurrent(args.out, files));
}

export function runGenerate(flags: GenerateArgs, log: Logger): number {
  const { args, config } = resolveCommandConfig(flags, resolveArgs, log);
  const settings = { templateDirs: customTemplateDirs(args.templates) };
  const result = renderFromConfig(config, settings);
  if (needsChecks(args, result.files)) {
    checkRendered(result, settings);
  }
  for (const warning of result.warnings) {
    log.warn(warning);
  }
  return emitFiles(args, result.files, log);
}
