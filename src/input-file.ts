/**
 * Reads the files that gen-ci takes as input: config files and
 * Dockerfiles. Folders, FIFOs and sockets are rejected, so nothing blocks
 * the run. Reading stops at a size limit, so neither a huge file nor a
 * device such as /dev/zero can fill memory. Character devices are read,
 * because `--config /dev/null` is a common way to read an empty file.
 */
import * as fs from 'node:fs';
import { UsageError } from './errors';

/** 1 MiB: far above any real config file or Dockerfile. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** `missing` when the path does not exist; else the file's text. */
export type InputText = { readonly missing: true } | { readonly text: string };

const CHUNK_BYTES = 64 * 1024;

function unreadable(file: string, problem: string): UsageError {
  return new UsageError('FILE_UNREADABLE', `cannot read ${file}: ${problem}`);
}

/** Tells whether `error` came from the operating system, with an errno. */
function isSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException).errno === 'number';
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

function tooLarge(file: string): UsageError {
  return unreadable(
    file,
    `it is larger than the limit of ${MAX_INPUT_BYTES} bytes; pass a smaller file`,
  );
}

/** Opens without blocking, which opening a FIFO for reading would do. */
function openInput(file: string): number | undefined {
  try {
    return fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      return undefined;
    }
    if (code === 'EISDIR') {
      throw unreadable(file, 'it is a directory; pass a file');
    }
    throw unreadable(file, `${code}; check the path and its permissions`);
  }
}

function checkKind(file: string, fd: number): void {
  const stat = fs.fstatSync(fd);
  if (stat.isDirectory()) {
    throw unreadable(file, 'it is a directory; pass a file');
  }
  if (!stat.isFile() && !stat.isCharacterDevice()) {
    throw unreadable(
      file,
      'it is a FIFO, socket or block device, not a regular file; pass a regular file',
    );
  }
  if (stat.size > MAX_INPUT_BYTES) {
    throw tooLarge(file);
  }
}

/** Reads at most MAX_INPUT_BYTES, then fails. */
function readLimited(file: string, fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let total = 0;
  for (;;) {
    const count = fs.readSync(fd, buffer, 0, buffer.length, null);
    if (count === 0) {
      return Buffer.concat(chunks).toString('utf8');
    }
    total += count;
    if (total > MAX_INPUT_BYTES) {
      throw tooLarge(file);
    }
    chunks.push(Buffer.from(buffer.subarray(0, count)));
  }
}

/**
 * Reads `file` as UTF-8 text. Throws a FILE_UNREADABLE UsageError for a
 * folder, a FIFO, socket or block device, more than MAX_INPUT_BYTES of
 * text, or a read error (EAGAIN from a terminal, which is not waited for).
 */
export function readInputFile(file: string): InputText {
  const fd = openInput(file);
  if (fd === undefined) {
    return { missing: true };
  }
  try {
    checkKind(file, fd);
    return { text: readLimited(file, fd) };
  } catch (error) {
    // Only a system error is the file's problem; anything else is a bug.
    if (error instanceof UsageError || !isSystemError(error)) {
      throw error;
    }
    throw unreadable(file, `${errorCode(error)}; check the path and its permissions`);
  } finally {
    fs.closeSync(fd);
  }
}
