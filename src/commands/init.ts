/**
 * `gen-ci init`: writes a commented starter gen-ci.yml into `--out`. Flags
 * given to init become active keys; the file is checked the way gen-ci
 * will read it before it is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argv } from 'yargs';
import { CheckFailure } from '../errors';
import { CONFIG_FILE_NAMES, PACKAGE_JSON_KEY } from '../config-file/find';
import { CONFIG_OPTIONS, isPathOption } from '../config-file/keys';
import { layerArgs } from '../config-file/merge';
import { parseConfigText, type ConfigValue } from '../config-file/parse';
import { starterConfig } from '../config-file/starter';
import type { Logger } from '../log';
import { writeFiles } from '../writer';
import { resolveArgs, type OptionArgs } from './generate';
import { addOptions, singleValue } from './options';

export type InitArgs = OptionArgs & { force: boolean };

const TARGET = CONFIG_FILE_NAMES[0];

export function initBuilder(yargs: Argv): Argv<InitArgs> {
  return addOptions(yargs, CONFIG_OPTIONS)
    .option('out', {
      type: 'string',
      default: '.',
      coerce: singleValue('out'),
      description: `Repository root to write ${TARGET} into`,
    })
    .option('force', {
      type: 'boolean',
      default: false,
      description: `Replace an existing ${TARGET}`,
    })
    .example('$0 init', `Starter ${TARGET} for amd64 and arm64`)
    .example(
      '$0 init --arch ppc64le,s390x --ci github --image ghcr.io/org/app',
      'Starter with these options set',
    ) as unknown as Argv<InitArgs>;
}

/**
 * Collects the option values that the user passed as flags. A path flag
 * is relative to the current folder, but a path in the file is relative
 * to the file, so paths are rewritten for `--out`.
 */
function givenValues(args: InitArgs): Record<string, ConfigValue> {
  const values: Record<string, ConfigValue> = {};
  for (const [name, spec] of Object.entries(CONFIG_OPTIONS)) {
    const value = (args as Record<string, unknown>)[name];
    if (typeof value === 'string' && isPathOption(spec)) {
      values[name] = path.relative(path.resolve(args.out), value) || '.';
    } else if (value !== undefined) {
      values[name] = value as ConfigValue;
    }
  }
  return values;
}

/** Rejects a folder with another config file, which gen-ci would reject. */
function checkNoOtherConfig(out: string): void {
  const others: string[] = CONFIG_FILE_NAMES.filter(
    (name) => name !== TARGET && fs.existsSync(path.join(out, name)),
  );
  const packageJson = path.join(out, 'package.json');
  if (
    fs.existsSync(packageJson) &&
    fs.readFileSync(packageJson, 'utf8').includes(`"${PACKAGE_JSON_KEY}"`)
  ) {
    others.push('package.json');
  }
  if (others.length > 0) {
    throw new CheckFailure(
      'OUTPUT_CONFLICT',
      `${path.join(out, others[0])} already configures gen-ci; edit it instead of running init`,
    );
  }
}

function checkNotPresent(out: string, force: boolean): void {
  if (!force && fs.existsSync(path.join(out, TARGET))) {
    throw new CheckFailure(
      'OUTPUT_CONFLICT',
      `${path.join(out, TARGET)} already exists; edit it, or pass --force to replace it with a starter`,
    );
  }
}

/**
 * Reads the starter back as gen-ci will, so a bad flag fails here, and
 * returns the warnings that gen-ci would print for it. Errors keep no
 * position in the starter, because it is not written when one occurs.
 */
function checkStarter(text: string, args: InitArgs): readonly string[] {
  const dir = path.resolve(args.out);
  const file = parseConfigText(text, TARGET, dir);
  const layered = layerArgs({ out: args.out } as OptionArgs, file);
  return resolveArgs(layered.args).warnings;
}

export function runInit(args: InitArgs, log: Logger): number {
  checkNoOtherConfig(args.out);
  checkNotPresent(args.out, args.force);
  const content = starterConfig(givenValues(args));
  for (const warning of checkStarter(content, args)) {
    log.warn(warning);
  }
  const files = [{ path: TARGET, content }];
  for (const outcome of writeFiles(args.out, files, { force: true })) {
    log.info(`${outcome.action.padEnd(9)} ${outcome.path}`);
  }
  return 0;
}
