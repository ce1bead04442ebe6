/**
 * Reads the kernel's binfmt_misc registrations, which decide whether this
 * host runs foreign binaries through QEMU. As Linux writes them: `status`
 * contains `enabled` or `disabled`, and each handler file starts with that
 * word, then has lines such as `interpreter /usr/bin/qemu-aarch64-static`
 * and `flags: OCF`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/**
 * The F (fix binary) flag makes the kernel open the interpreter when the
 * handler is registered, so containers and chroots without the emulator
 * inside can still run foreign binaries (Linux kernel documentation,
 * admin-guide/binfmt-misc.rst).
 */
export const FIX_BINARY_FLAG = 'F';

export interface BinfmtHandler {
  /** The handler's file name, such as `qemu-aarch64`. */
  readonly name: string;
  readonly enabled: boolean;
  readonly interpreter?: string;
  readonly flags: string;
  readonly fixBinary: boolean;
}

export interface BinfmtState {
  readonly dir: string;
  /** binfmt_misc is mounted at `dir`: its `register` file exists. */
  readonly mounted: boolean;
  /** The `status` file contains `enabled`. */
  readonly enabled: boolean;
  /** The `qemu-*` handlers, sorted by name. */
  readonly handlers: readonly BinfmtHandler[];
}

/** Parses one handler file's text. */
export function parseHandler(name: string, text: string): BinfmtHandler {
  const lines = text.split('\n').map((line) => line.trim());
  const field = (prefix: string) =>
    lines.find((line) => line.startsWith(prefix))?.slice(prefix.length).trim();
  const flags = field('flags:') ?? '';
  return {
    name,
    enabled: lines[0] === 'enabled',
    interpreter: field('interpreter '),
    flags,
    fixBinary: flags.includes(FIX_BINARY_FLAG),
  };
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readHandlers(dir: string): BinfmtHandler[] {
  const names = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('qemu-'))
    .sort();
  return names.flatMap((name) => {
    const text = readText(path.join(dir, name));
    return text === undefined ? [] : [parseHandler(name, text)];
  });
}

/** Reads binfmt_misc at `dir`; a missing or empty folder is not mounted. */
export function readBinfmt(dir: string = DEFAULT_BINFMT_DIR): BinfmtState {
  const mounted = fs.existsSync(path.join(dir, 'register'));
  if (!mounted) {
    return { dir, mounted, enabled: false, handlers: [] };
  }
  const status = readText(path.join(dir, 'status'))?.trim();
  return {
    dir,
    mounted,
    enabled: status === 'enabled',
    handlers: readHandlers(dir),
  };
}
