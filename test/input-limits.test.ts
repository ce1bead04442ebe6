/**
 * Custom templates (`--templates DIR`) and the files of `gen-ci validate`
 * that are FIFOs, folders, devices, broken symbolic links or files over
 * the size limit. Each case ends in one error line and exit 2, without
 * waiting on a FIFO and without reading a device to its end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../src/input-file';
import { BIN, listFiles, tempDir } from './helpers/cli';

const GENERATE = [
  '--arch',
  'arm64',
  '--image',
  'example/app',
  '--ci',
  'travis',
];

/** Long enough for a slow machine, short enough to stop a hung run. */
const RUN_SECONDS = 15;

const TEST_TIMEOUT_MS = 2 * RUN_SECONDS * 1000;

interface Result {
  readonly status: number | null;
  readonly stderr: string;
}

/**
 * Runs the built command line like runCli, but kills it after
 * RUN_SECONDS, because a read that blocks on a FIFO never ends.
 */
function runBounded(args: readonly string[], cwd: string): Result {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: RUN_SECONDS * 1000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status, stderr: result.stderr };
}

/** Checks exit 2 and a single error line, without a stack, naming `file`. */
function expectOneLineError(result: Result, file: string): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^gen-ci: error: [^\n]*\n$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).toContain(file);
}

/** Makes a FIFO at `file`, or returns false when mkfifo fails. */
function makeFifo(file: string): boolean {
  const mkfifo = spawnSync('mkfifo', [file]);
  if (mkfifo.status === 0) {
    return true;
  }
  const reason = mkfifo.error
    ? mkfifo.error.message
    : mkfifo.stderr.toString();
  console.log(`skipped: mkfifo failed here (${reason.trim()})`);
  return false;
}

/** Creates a temporary folder with `tpl/`, and `prepare` fills `tpl/`. */
function templateDir(prepare: (tpl: string) => void): string {
  const dir = tempDir();
  const tpl = path.join(dir, 'tpl');
  fs.mkdirSync(tpl);
  prepare(tpl);
  return dir;
}

/** Runs generate with `--templates tpl`, expecting an error and no files. */
function expectGenerateRejects(dir: string, file: string): void {
  const before = listFiles(dir);
  const result = runBounded([...GENERATE, '--templates', 'tpl'], dir);
  expectOneLineError(result, file);
  expect(listFiles(dir)).toEqual(before);
}

describe('custom template that is not a regular file', () => {
  const options = { timeout: TEST_TIMEOUT_MS };

  it('rejects a FIFO as a template', options, () => {
    const dir = templateDir(() => undefined);
    if (!makeFifo(path.join(dir, 'tpl', 'travis.yml.hbs'))) {
      return;
    }
    expectGenerateRejects(dir, 'travis.yml.hbs');
  });

  it('rejects a FIFO as a partial', options, () => {
    const dir = templateDir((tpl) => fs.mkdirSync(path.join(tpl, 'partials')));
    if (!makeFifo(path.join(dir, 'tpl', 'partials', 'x.hbs'))) {
      return;
    }
    expectGenerateRejects(dir, 'x.hbs');
  });

  it('stops reading a link to /dev/zero', options, () => {
    const dir = templateDir((tpl) =>
      fs.symlinkSync('/dev/zero', path.join(tpl, 'travis.yml.hbs')),
    );
    expectGenerateRejects(dir, 'travis.yml.hbs');
  });

  it('rejects a folder as a template', options, () => {
    const dir = templateDir((tpl) =>
      fs.mkdirSync(path.join(tpl, 'travis.yml.hbs')),
    );
    expectGenerateRejects(dir, 'travis.yml.hbs');
  });

  it('rejects a folder as a partial', options, () => {
    const dir = templateDir((tpl) =>
      fs.mkdirSync(path.join(tpl, 'partials', 'x.hbs'), { recursive: true }),
    );
    expectGenerateRejects(dir, 'x.hbs');
  });

  it('rejects a file named partials', options, () => {
    const dir = templateDir((tpl) =>
      fs.writeFileSync(path.join(tpl, 'partials'), ''),
    );
    expectGenerateRejects(dir, 'partials');
  });

  it('rejects a broken link as a template', options, () => {
    const dir = templateDir((tpl) =>
      fs.symlinkSync('missing.hbs', path.join(tpl, 'travis.yml.hbs')),
    );
    expectGenerateRejects(dir, 'travis.yml.hbs');
  });

  it('rejects a broken link as a partial', options, () => {
    const dir = templateDir((tpl) => {
      fs.mkdirSync(path.join(tpl, 'partials'));
      fs.symlinkSync('missing.hbs', path.join(tpl, 'partials', 'x.hbs'));
    });
    expectGenerateRejects(dir, 'x.hbs');
  });
});

describe('validate input limits', () => {
  const options = { timeout: TEST_TIMEOUT_MS };
  const VALIDATE = ['validate', '--ci', 'gitlab'];

  it('rejects a FIFO without waiting', options, () => {
    const dir = tempDir();
    if (!makeFifo(path.join(dir, 'f.yml'))) {
      return;
    }
    expectOneLineError(runBounded([...VALIDATE, 'f.yml'], dir), 'f.yml');
  });

  it('stops reading /dev/zero at the limit', options, () => {
    const dir = tempDir();
    const result = runBounded([...VALIDATE, '/dev/zero'], dir);
    expectOneLineError(result, '/dev/zero');
  });

  it('rejects a file over the size limit', options, () => {
    const dir = tempDir();
    const line = `# ${'x'.repeat(1000)}\n`;
    const lines = Math.ceil(MAX_INPUT_BYTES / line.length) + 1;
    fs.writeFileSync(path.join(dir, 'big.yml'), line.repeat(lines));
    expectOneLineError(runBounded([...VALIDATE, 'big.yml'], dir), 'big.yml');
  });

  it('still rejects a missing file', options, () => {
    const dir = tempDir();
    const result = runBounded([...VALIDATE, 'absent.yml'], dir);
    expectOneLineError(result, 'absent.yml');
    expect(result.stderr).toContain('ENOENT');
  });
});
