/**
 * Switches the kernel's QEMU handlers between Debian's registration, with
 * the F (fix-binary) flag, and the registration that the legacy strategy
 * expects, without F. binfmt_misc is machine-wide, so every switch away
 * from F is undone in a `finally`, and scripts/e2e-setup.sh repairs a
 * handler that an interrupted run left without F.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BINFMT_DIR } from './environment';

export interface BinfmtHandler {
  readonly name: string;
  readonly interpreter: string;
  readonly flags: string;
  readonly offset: string;
  /** Hex digits, as the kernel lists them. */
  readonly magic: string;
  readonly mask: string;
}

export function readHandler(name: string): BinfmtHandler {
  const text = fs.readFileSync(path.join(BINFMT_DIR, name), 'utf8');
  const field = (key: string) =>
    new RegExp(`^${key}:? ?(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  const magic = field('magic');
  if (magic === '') {
    throw new Error(
      `binfmt_misc handler ${name} has no magic; only magic handlers are supported`,
    );
  }
  return {
    name,
    interpreter: field('interpreter'),
    flags: field('flags'),
    offset: field('offset') || '0',
    magic,
    mask: field('mask'),
  };
}

/** Registered handlers whose name starts with `qemu-`, sorted. */
export function qemuHandlerNames(): string[] {
  return fs
    .readdirSync(BINFMT_DIR)
    .filter((name) => name.startsWith('qemu-'))
    .sort();
}

function hexEscapes(hex: string): string {
  return hex.replace(/(..)/g, '\\x$1');
}

/**
 * Returns the interpreter path that `multiarch/qemu-user-static --reset`
 * registers (`/usr/bin/qemu-<target>-static`), which is also where the
 * legacy Dockerfiles copy the emulator to.
 */
export function legacyInterpreter(name: string): string {
  return `/usr/bin/${name}-static`;
}

/**
 * Registers the handler again without F. The kernel then opens the
 * interpreter inside each container, as on kernels older than 4.8.
 * Debian's P flag (keep argv[0]) stays: the busybox of the local base
 * images finds its applet through argv[0], and without P a `tee` started
 * from `sh` fails with "can't open" (measured with qemu-user-static 7.2).
 */
function registerWithoutFixBinary(handler: BinfmtHandler): void {
  const flags = handler.flags.replace(/F/g, '');
  const line = [
    '',
    handler.name,
    'M',
    handler.offset,
    hexEscapes(handler.magic),
    hexEscapes(handler.mask),
    legacyInterpreter(handler.name),
    flags,
  ].join(':');
  fs.writeFileSync(path.join(BINFMT_DIR, handler.name), '-1');
  fs.writeFileSync(path.join(BINFMT_DIR, 'register'), line);
}

export function hasFixBinary(name: string): boolean {
  return readHandler(name).flags.includes('F');
}

/** Registers Debian's definition of the handler again, with F. */
export function restoreDebianHandler(name: string): void {
  const file = path.join(BINFMT_DIR, name);
  if (fs.existsSync(file)) {
    fs.writeFileSync(file, '-1');
  }
  const result = spawnSync('update-binfmts', ['--enable', name], {
    encoding: 'utf8',
  });
  if (result.status !== 0 || !hasFixBinary(name)) {
    throw new Error(
      `restoring binfmt_misc handler ${name} failed (update-binfmts exit status ${result.status}): ${result.stderr}`,
    );
  }
}

/**
 * Runs `action` while every QEMU handler lacks F, then registers Debian's
 * handlers again, also when `action` throws.
 */
export async function withoutFixBinary<T>(
  log: (line: string) => void,
  action: () => T | Promise<T>,
): Promise<T> {
  const names = qemuHandlerNames();
  log(
    `binfmt: registering ${names.join(', ')} without the F flag, interpreters /usr/bin/qemu-*-static`,
  );
  try {
    for (const name of names) {
      registerWithoutFixBinary(readHandler(name));
    }
    return await action();
  } finally {
    for (const name of names) {
      restoreDebianHandler(name);
    }
    log(`binfmt: restored Debian's ${names.join(', ')} with the F flag`);
  }
}
