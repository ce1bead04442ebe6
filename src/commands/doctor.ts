/**
 * `gen-ci doctor`: inspects this host's binfmt_misc registrations and reports
 * which architectures it can build, natively or through QEMU.
 */
import * as os from 'node:os';
import type { Argv } from 'yargs';
import type { Logger } from '../log';
import { DEFAULT_BINFMT_DIR, readBinfmt, type BinfmtState } from '../doctor/binfmt';
import {
  archCapabilities,
  archOfMachine,
  binfmtWarnings,
  type ArchCapability,
} from '../doctor/capability';
import {
  addFormatOption,
  formatJson,
  formatTable,
  type Format,
} from './format';

export interface DoctorArgs {
  format: Format;
  'binfmt-dir': string;
}

export function doctorBuilder(yargs: Argv): Argv<DoctorArgs> {
  return addFormatOption(yargs)
    .option('binfmt-dir', {
      type: 'string',
      default: DEFAULT_BINFMT_DIR,
      requiresArg: true,
      description: 'Folder where binfmt_misc is mounted',
    })
    .epilog(
      'Exits 1 when binfmt_misc is not mounted or is disabled, else 0; other problems, such as a handler without the F flag, are warnings.',
    )
    .example('$0 doctor', 'Which architectures this host can build')
    .example('$0 doctor --format json', 'The same, for scripts') as unknown as Argv<DoctorArgs>;
}

/** Collects the host's state as plain data, as `--format json` prints it. */
export function doctorView(state: BinfmtState, machine: string) {
  const host = archOfMachine(machine);
  return {
    host: { machine, arch: host?.name ?? null },
    binfmt: state,
    arches: archCapabilities(state, host),
    warnings: binfmtWarnings(state),
  };
}

type DoctorView = ReturnType<typeof doctorView>;

function binfmtLine(state: BinfmtState): string {
  if (!state.mounted) {
    return `binfmt_misc: not mounted at ${state.dir}`;
  }
  return `binfmt_misc: mounted at ${state.dir}, ${state.enabled ? 'enabled' : 'disabled'}`;
}

function handlerTable(state: BinfmtState): string {
  if (state.handlers.length === 0) {
    return 'no qemu-* handlers registered\n';
  }
  const rows = state.handlers.map((handler) => [
    handler.name,
    handler.enabled ? 'yes' : 'no',
    handler.flags || '-',
    handler.interpreter ?? '-',
  ]);
  return formatTable(['HANDLER', 'ENABLED', 'FLAGS', 'INTERPRETER'], rows);
}

function archTable(arches: readonly ArchCapability[]): string {
  const rows = arches.map((entry) => [entry.arch, entry.support, entry.detail]);
  return formatTable(['ARCH', 'RUNS', 'HOW'], rows);
}

function formatDoctorText(view: DoctorView): string {
  const host = `host: ${view.host.machine}${view.host.arch ? ` (${view.host.arch})` : ''}`;
  const sections = [`${host}\n${binfmtLine(view.binfmt)}\n`];
  if (view.binfmt.mounted) {
    sections.push(handlerTable(view.binfmt));
  }
  sections.push(archTable(view.arches));
  return sections.join('\n');
}

export function runDoctor(args: DoctorArgs, log: Logger): number {
  const state = readBinfmt(args['binfmt-dir']);
  const view = doctorView(state, os.machine());
  log.data(args.format === 'json' ? formatJson(view) : formatDoctorText(view));
  for (const warning of view.warnings) {
    log.warn(warning);
  }
  return state.mounted && state.enabled ? 0 : 1;
}
