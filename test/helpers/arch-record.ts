import type { ArchRecord } from '../../src/arch/types';

/** Builds a record with the fields under test and dummy values elsewhere. */
export function archRecord(
  name: string,
  architecture: string,
  hubNamespace: string | undefined,
  variant?: string,
): ArchRecord {
  return {
    name,
    slug: name.replace('/', ''),
    os: 'linux',
    architecture,
    variant,
    hubNamespace,
    qemu: architecture,
    binfmtInstall: architecture,
    unameM: architecture,
    unameAccepted: [architecture],
    goarch: architecture,
    runsOnAmd64: false,
    runsOnArm64: false,
    aliases: [],
  };
}
