/**
 * The last step of `gen-ci generate`, for the rendered files: compare them
 * with the disk (`--check`), print them (`--dry-run`), or write them and report
 * or delete (`--prune`) the generated files that the config no longer
 * produces.
 */
import { CheckFailure, UsageError } from '../errors';
import type { Logger } from '../log';
import { describeDrift, driftFixes, findDrift } from '../output/drift';
import { findStaleFiles, type StaleFile } from '../output/stale';
import type { GeneratedFile } from '../targets/types';
import { writeFiles } from '../writer';

export interface OutputArgs {
  out: string;
  'dry-run': boolean;
  force: boolean;
  check: boolean;
  prune: boolean;
}

/** Prints a unified diff per differing file; 1 when any file differs. */
function checkFiles(
  args: OutputArgs,
  files: readonly GeneratedFile[],
  stale: readonly StaleFile[],
  log: Logger,
): number {
  const drifts = findDrift(args.out, files, stale);
  for (const drift of drifts) {
    log.data(drift.patch);
  }
  for (const drift of drifts) {
    log.info(describeDrift(drift));
  }
  if (drifts.length > 0) {
    const count =
      drifts.length === 1 ? '1 generated file is' : `${drifts.length} generated files are`;
    log.error(
      `${count} out of date in ${args.out}; to update them, ${driftFixes(drifts)}`,
    );
    return 1;
  }
  log.info(`all ${files.length} generated files are up to date`);
  return 0;
}

function printFiles(
  files: readonly GeneratedFile[],
  stale: readonly StaleFile[],
  log: Logger,
): number {
  for (const file of files) {
    log.data(`==> ${file.path} <==\n${file.content}\n`);
  }
  for (const entry of stale) {
    log.info(`${entry.path} is no longer generated; --prune would delete it`);
  }
  return 0;
}

/** Deleting a stale file that was edited by hand needs --force too. */
function checkPrunable(stale: readonly StaleFile[], force: boolean): void {
  const edited = stale.find((entry) => entry.edited);
  if (edited && !force) {
    throw new CheckFailure(
      'OUTPUT_CONFLICT',
      `${edited.path} is no longer generated but was edited by hand; move it away or pass --force with --prune to delete it`,
    );
  }
}

function writeAndPrune(
  args: OutputArgs,
  files: readonly GeneratedFile[],
  stale: readonly StaleFile[],
  log: Logger,
): number {
  if (args.prune) {
    checkPrunable(stale, args.force);
  }
  const remove = args.prune ? stale.map((entry) => entry.path) : [];
  for (const outcome of writeFiles(args.out, files, {
    force: args.force,
    remove,
  })) {
    log.info(`${outcome.action.padEnd(9)} ${outcome.path}`);
  }
  for (const entry of stale) {
    if (args.prune) {
      log.info(`${'delete'.padEnd(9)} ${entry.path}`);
    } else {
      log.warn(
        `${entry.path} is no longer generated; pass --prune to delete it`,
      );
    }
  }
  return 0;
}

/** Checks, prints or writes `files`; returns the exit code. */
export function emitFiles(
  args: OutputArgs,
  files: readonly GeneratedFile[],
  log: Logger,
): number {
  if (args.check && (args['dry-run'] || args.prune)) {
    throw new UsageError(
      'OPTION_INVALID',
      `--check writes nothing, so it cannot be combined with ${args.prune ? '--prune' : '--dry-run'}; drop one of them`,
    );
  }
  const stale = findStaleFiles(args.out, files);
  if (args.check) {
    return checkFiles(args, files, stale, log);
  }
  if (args['dry-run']) {
    return printFiles(files, stale, log);
  }
  return writeAndPrune(args, files, stale, log);
}
