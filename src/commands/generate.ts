/**
 * `gen-ci [generate]`: resolve options, render in memory, then write, or
 * print with `--dry-run`. The core does no I/O, so this command reads the
 * user's Dockerfile and inspects `--out` for the default CI list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argv } from 'yargs';
import { CI_NAMES, type CiName } from '../ci/platforms';
import { resolveConfig, type SourceFile } from '../config';
import { UsageError } from '../errors';
import { generateFromConfig } from '../generate';
import type { Logger } from '../log';
import { GENERATE_OPTIONS } from '../options';
import { TARGETS } from '../targets';
import { writeFiles } from '../writer';
import { addOptions } from './options';

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
  out: string;
  'dry-run': boolean;
  force: boolean;
}

export function generateBuilder(yargs: Argv): Argv<GenerateArgs> {
  return addOptions(yargs, GENERATE_OPTIONS)
    .option('out', {
      type: 'string',
      default: '.',
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
      description: 'Overwrite files that gen-ci did not generate',
    })
    .example(
      '$0 --arch ppc64le,s390x --image example/app',
      'Travis CI pipeline and Dockerfile.ppc64le, Dockerfile.s390x',
    )
    .example(
      '$0 --arch arm64 --arch arm/v7 --ci travis --dry-run',
      'Print the files instead of writing them',
    ) as unknown as Argv<GenerateArgs>;
}

/** Reads a Dockerfile into memory, with a clear error when it is missing. */
function readDockerfile(file: string, flag: boolean): SourceFile {
  try {
    return { fileName: path.basename(file), content: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? 'DOCKERFILE_MISSING' : 'FILE_UNREADABLE',
      code === 'ENOENT'
        ? `${flag ? '--dockerfile ' : ''}${file} not found; pass an existing file or omit --dockerfile to generate a starter`
        : `cannot read ${file} (${code ?? 'error'}); check the path and its permissions`,
    );
  }
}

function findDockerfile(args: GenerateArgs): SourceFile | undefined {
  if (args.dockerfile !== undefined) {
    return readDockerfile(args.dockerfile, true);
  }
  const candidate = path.join(args.out, 'Dockerfile');
  return fs.existsSync(candidate) ? readDockerfile(candidate, false) : undefined;
}

/** The CIs whose pipeline files already exist in `out`. */
export function detectCis(out: string): CiName[] {
  return CI_NAMES.filter((ci) => {
    const target = TARGETS[ci];
    return target !== undefined && fs.existsSync(path.join(out, target.pipelinePath()));
  });
}

function defaultCis(args: GenerateArgs): string[] {
  if (args.ci && args.ci.length > 0) {
    return args.ci;
  }
  const detected = detectCis(args.out);
  return detected.length > 0 ? detected : ['travis'];
}

export function runGenerate(args: GenerateArgs, log: Logger): number {
  const config = resolveConfig({
    arch: args.arch ?? [],
    ci: defaultCis(args),
    image: args.image,
    base: args.base,
    dockerfile: findDockerfile(args),
    buildArgs: args['build-arg'],
    strategy: args.strategy,
    emulatorImage: args['emulator-image'],
    branch: args.branch,
  });
  const result = generateFromConfig(config);
  for (const warning of result.warnings) {
    log.warn(warning);
  }
  if (args['dry-run']) {
    for (const file of result.files) {
      log.data(`==> ${file.path} <==\n${file.content}\n`);
    }
    return 0;
  }
  for (const outcome of writeFiles(args.out, result.files, { force: args.force })) {
    log.info(`${outcome.action.padEnd(9)} ${outcome.path}`);
  }
  return 0;
}
