/**
 * `gen-ci arches`: lists the supported architectures with every spelling
 * that gen-ci accepts or writes, and the CIs that run each natively.
 */
import type { Argv } from 'yargs';
import { binfmtName, dockerPlatform } from '../arch/resolve';
import { ARCHES } from '../arch/table';
import type { ArchRecord } from '../arch/types';
import { CI_NAMES, CI_PLATFORMS } from '../ci/platforms';
import type { Logger } from '../log';
import {
  addFormatOption,
  formatJson,
  formatTable,
  type Format,
} from './format';

export interface ArchesArgs {
  format: Format;
}

export function archesBuilder(yargs: Argv): Argv<ArchesArgs> {
  return addFormatOption(yargs)
    .example('$0 arches', 'Names, aliases and native CI runners')
    .example(
      '$0 arches --format json',
      'Every field of each architecture record',
    ) as unknown as Argv<ArchesArgs>;
}

/**
 * A CI's native runner for `arch`: amd64 runners run every architecture
 * that amd64 hardware runs. `auto` is true where `--strategy auto` uses it.
 */
function nativeRunners(arch: ArchRecord) {
  return CI_NAMES.flatMap((ci) => {
    const platform = CI_PLATFORMS[ci];
    const label = arch.runsOnAmd64
      ? platform.amd64Runner
      : platform.nativeRunner(arch);
    if (label === undefined) {
      return [];
    }
    const auto = arch.runsOnAmd64 || platform.autoNative(arch);
    return [{ ci, label, auto }];
  });
}

/** Builds one architecture's plain data: its record and derived names. */
export function archView(arch: ArchRecord) {
  return {
    ...arch,
    platform: dockerPlatform(arch),
    binfmtHandler: binfmtName(arch),
    native: nativeRunners(arch),
  };
}

type ArchView = ReturnType<typeof archView>;

/** Lists every input spelling besides the canonical name. */
function spellings(view: ArchView): string {
  const names = new Set([view.slug, ...view.aliases]);
  names.delete(view.name);
  return names.size > 0 ? [...names].join(', ') : '-';
}

function nativeCell(view: ArchView): string {
  if (view.native.length === 0) {
    return '-';
  }
  return view.native
    .map((runner) => `${runner.ci} (${runner.label || 'CI default'})`)
    .join(', ');
}

function formatArchTable(views: readonly ArchView[]): string {
  const header = [
    'NAME',
    'PLATFORM',
    'ALSO ACCEPTED',
    'DEBIAN',
    'ALPINE',
    'UNAME -M',
    'QEMU',
    'NATIVE RUNNERS',
  ];
  const rows = views.map((view) => [
    view.name,
    view.platform,
    spellings(view),
    view.debian ?? '-',
    view.alpine ?? '-',
    view.unameM,
    view.binfmtHandler,
    nativeCell(view),
  ]);
  return formatTable(header, rows);
}

export function runArches(args: ArchesArgs, log: Logger): number {
  const views = ARCHES.map(archView);
  log.data(args.format === 'json' ? formatJson(views) : formatArchTable(views));
  return 0;
}
