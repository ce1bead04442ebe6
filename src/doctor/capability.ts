/**
 * Decides which architectures this host can run, from its own architecture
 * and its binfmt_misc registrations, and warns about each problem found.
 */
import { binfmtName, findArch } from '../arch/resolve';
import { ARCHES } from '../arch/table';
import type { ArchRecord } from '../arch/types';
import { DEFAULT_EMULATOR_IMAGE } from '../options';
import type { BinfmtHandler, BinfmtState } from './binfmt';

/**
 * `native`: the CPU runs it. `emulated`: an enabled QEMU handler runs it.
 * `no`: neither.
 */
export type ArchSupport = 'native' | 'emulated' | 'no';

export interface ArchCapability {
  readonly arch: string;
  readonly support: ArchSupport;
  readonly detail: string;
}

/** Finds the record of a `uname -m` value, such as x86_64 or aarch64. */
export function archOfMachine(machine: string): ArchRecord | undefined {
  return findArch(machine) ?? ARCHES.find((arch) => arch.unameM === machine);
}

function runsNatively(host: ArchRecord | undefined, arch: ArchRecord) {
  if (host === undefined) {
    return false;
  }
  return (
    arch === host ||
    (host.name === 'amd64' && arch.runsOnAmd64) ||
    (host.name === 'arm64' && arch.runsOnArm64)
  );
}

function usableHandler(state: BinfmtState, arch: ArchRecord) {
  const handler = state.handlers.find((entry) => entry.name === binfmtName(arch));
  return state.enabled && handler?.enabled ? handler : undefined;
}

function capabilityOf(
  arch: ArchRecord,
  state: BinfmtState,
  host: ArchRecord | undefined,
): ArchCapability {
  if (runsNatively(host, arch)) {
    return { arch: arch.name, support: 'native', detail: `this host is ${host?.name}` };
  }
  const handler = usableHandler(state, arch);
  if (handler) {
    const flag = handler.fixBinary
      ? 'with the F flag'
      : 'without the F flag, so not inside containers';
    return { arch: arch.name, support: 'emulated', detail: `${handler.name} ${flag}` };
  }
  return {
    arch: arch.name,
    support: 'no',
    detail: `no enabled ${binfmtName(arch)} handler`,
  };
}

export function archCapabilities(
  state: BinfmtState,
  host: ArchRecord | undefined,
): ArchCapability[] {
  return ARCHES.map((arch) => capabilityOf(arch, state, host));
}

function handlerWarnings(handler: BinfmtHandler): string[] {
  const warnings: string[] = [];
  if (!handler.enabled) {
    warnings.push(`${handler.name} is registered but disabled`);
  }
  if (!handler.fixBinary) {
    warnings.push(
      `${handler.name} lacks the F flag (flags: ${handler.flags || 'none'}), so containers without the emulator inside cannot use it; register QEMU again with: docker run --rm --privileged ${DEFAULT_EMULATOR_IMAGE} --install all`,
    );
  }
  return warnings;
}

/** Problems that stop or limit emulation on this host. */
export function binfmtWarnings(state: BinfmtState): string[] {
  if (!state.mounted) {
    return [
      `binfmt_misc is not mounted at ${state.dir}; mount it with: mount -t binfmt_misc binfmt_misc ${state.dir}`,
    ];
  }
  const warnings = state.enabled
    ? []
    : [`binfmt_misc is disabled; enable it with: echo 1 > ${state.dir}/status`];
  if (state.handlers.length === 0) {
    warnings.push(
      `no qemu-* handler is registered; register QEMU with: docker run --rm --privileged ${DEFAULT_EMULATOR_IMAGE} --install all`,
    );
  }
  return [...warnings, ...state.handlers.flatMap(handlerWarnings)];
}
