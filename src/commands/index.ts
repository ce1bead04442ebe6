/**
 * Every command of the command line. Each module declares its own flags and
 * returns an exit code; `src/cli.ts` only wires them into yargs.
 */
import type { Argv } from 'yargs';
import type { Logger } from '../log';
import { generateBuilder, runGenerate, type GenerateArgs } from './generate';

export interface CommandSpec<Args = any> {
  /** yargs command string(s); `$0` marks the default command. */
  readonly command: string | readonly string[];
  readonly describe: string;
  builder(yargs: Argv): Argv<Args>;
  /** Runs the command; returns the exit code. */
  run(args: Args, log: Logger): number | Promise<number>;
}

const generateCommand: CommandSpec<GenerateArgs> = {
  command: ['generate', '$0'],
  describe: 'Write the CI pipelines and one Dockerfile per architecture',
  builder: generateBuilder,
  run: runGenerate,
};

export const COMMANDS: readonly CommandSpec[] = [generateCommand];
