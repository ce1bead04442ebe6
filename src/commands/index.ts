/**
 * Every command of the command line. Each module declares its own flags and
 * returns an exit code; `src/cli.ts` only wires them into yargs.
 */
import type { Argv } from 'yargs';
import type { Logger } from '../log';
import { generateBuilder, runGenerate, type GenerateArgs } from './generate';
import { archesBuilder, runArches, type ArchesArgs } from './arches';
import { doctorBuilder, runDoctor, type DoctorArgs } from './doctor';
import { initBuilder, runInit, type InitArgs } from './init';
import { planBuilder, runPlan, type PlanArgs } from './plan';
import { runSchemas, schemasBuilder, type SchemasArgs } from './schemas';
import { runValidate, validateBuilder, type ValidateArgs } from './validate';

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

const planCommand: CommandSpec<PlanArgs> = {
  command: 'plan',
  describe:
    'Print the jobs gen-ci would generate: runner, label, emulator and tag per CI and architecture',
  builder: planBuilder,
  run: runPlan,
};

const archesCommand: CommandSpec<ArchesArgs> = {
  command: 'arches',
  describe:
    'List the supported architectures, their spellings and native CI runners',
  builder: archesBuilder,
  run: runArches,
};

const doctorCommand: CommandSpec<DoctorArgs> = {
  command: 'doctor',
  describe:
    'Show which architectures this host can run, from its binfmt_misc QEMU handlers',
  builder: doctorBuilder,
  run: runDoctor,
};

const initCommand: CommandSpec<InitArgs> = {
  command: 'init',
  describe: 'Write a commented starter gen-ci.yml',
  builder: initBuilder,
  run: runInit,
};

const validateCommand: CommandSpec<ValidateArgs> = {
  command: 'validate [files..]',
  describe:
    'Check CI files: YAML, schemas and lint rules; exit 1 when there are errors',
  builder: validateBuilder,
  run: runValidate,
};

const schemasCommand: CommandSpec<SchemasArgs> = {
  command: 'schemas <action>',
  describe:
    'Download the public CI schemas that gen-ci validate uses (action: update)',
  builder: schemasBuilder,
  run: runSchemas,
};

export const COMMANDS: readonly CommandSpec[] = [
  generateCommand,
  planCommand,
  archesCommand,
  doctorCommand,
  initCommand,
  validateCommand,
  schemasCommand,
];
