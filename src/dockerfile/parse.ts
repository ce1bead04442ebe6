/**
 * Parses a Dockerfile with dockerfile-ast and rejects what Docker would
 * reject before any build step runs. dockerfile-ast builds a syntax tree but
 * reports no errors, so the checks below cover the cases gen-ci relies on:
 * a FROM exists, every keyword is known, and FROM lines are well formed.
 */

import type * as DockerfileAst from 'dockerfile-ast';
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import { UsageError } from '../errors';

/** A problem found in a Dockerfile, with its 1-based line if it has one. */
interface SyntaxProblem {
  readonly line?: number;
  readonly message: string;
}

let dockerfileAst: typeof DockerfileAst | undefined;

/**
 * Loads dockerfile-ast on first use: `gen-ci validate` and other commands
 * that read no Dockerfile start faster without it.
 */
function loadDockerfileAst(): typeof DockerfileAst {
  dockerfileAst ??= require('dockerfile-ast') as typeof DockerfileAst;
  return dockerfileAst;
}

let keywordList: readonly string[] | undefined;

function keywords(): readonly string[] {
  keywordList ??= Object.values(loadDockerfileAst().Keyword);
  return keywordList;
}

/** Instructions that the Dockerfile reference forbids as ONBUILD triggers. */
const FORBIDDEN_TRIGGERS = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);
/** BuildKit's rule for stage names, compared case-insensitively. */
const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/i;
const FROM_FORM = 'FROM [--platform=<platform>] <image> [AS <name>]';

/**
 * Parses `content` and returns the syntax tree. Throws a DOCKERFILE_INVALID
 * UsageError (`fileName:line: problem`) when there is no FROM, an
 * instruction is unknown or comes before the first FROM, an instruction has
 * no arguments, or a FROM line is malformed.
 */
export function parseDockerfile(content: string, fileName: string): Dockerfile {
  const dockerfile = loadDockerfileAst().DockerfileParser.parse(content);
  const problem = findSyntaxProblem(dockerfile);
  if (problem !== undefined) {
    const where =
      problem.line === undefined ? fileName : `${fileName}:${problem.line}`;
    throw new UsageError('DOCKERFILE_INVALID', `${where}: ${problem.message}`);
  }
  return dockerfile;
}

function isFrom(instruction: Instruction): instruction is From {
  return instruction instanceof loadDockerfileAst().From;
}

/** Returns the 1-based line on which an instruction starts. */
export function instructionLine(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function findSyntaxProblem(dockerfile: Dockerfile): SyntaxProblem | undefined {
  const stages = new Set<string>();
  let seenFrom = false;
  for (const instruction of dockerfile.getInstructions()) {
    const message = findInstructionProblem(instruction, seenFrom, stages);
    if (message !== undefined) {
      return { line: instructionLine(instruction), message };
    }
    seenFrom = seenFrom || isFrom(instruction);
  }
  if (!seenFrom) {
    return {
      message: `the file has no FROM instruction. Start a build stage with ${FROM_FORM}`,
    };
  }
  return undefined;
}

/** Checks one instruction and adds FROM stage names to `stages`. */
function findInstructionProblem(
  instruction: Instruction,
  seenFrom: boolean,
  stages: Set<string>,
): string | undefined {
  const keyword = instruction.getKeyword();
  if (!keywords().includes(keyword)) {
    return `unknown instruction "${instruction.getInstruction()}". Expected one of ${keywords().join(', ')}`;
  }
  if (isFrom(instruction)) {
    return findFromProblem(instruction, stages);
  }
  if (!seenFrom && keyword !== 'ARG') {
    return `${keyword} comes before the first FROM, where only ARG is allowed`;
  }
  const args = instruction.getArguments();
  if (args.length === 0) {
    return `${keyword} has no arguments`;
  }
  if (keyword === 'ONBUILD') {
    return findTriggerProblem(args[0].getValue());
  }
  return undefined;
}

function findTriggerProblem(trigger: string): string | undefined {
  const keyword = trigger.toUpperCase();
  if (!keywords().includes(keyword)) {
    return `ONBUILD has the unknown instruction "${trigger}" as its trigger`;
  }
  if (FORBIDDEN_TRIGGERS.has(keyword)) {
    return `ONBUILD cannot trigger ${keyword}`;
  }
  return undefined;
}

function findFromProblem(from: From, stages: Set<string>): string | undefined {
  for (const flag of from.getFlags()) {
    if (flag.getName() !== 'platform') {
      return `FROM has the unknown flag --${flag.getName()}. Write ${FROM_FORM}`;
    }
    if (!flag.getValue()) {
      return `FROM --platform has no value. Write ${FROM_FORM}`;
    }
  }
  const args = from.getArguments().map((argument) => argument.getValue());
  if (args.length === 0) {
    return `FROM has no image. Write ${FROM_FORM}`;
  }
  const hasStage = args.length === 3 && args[1].toUpperCase() === 'AS';
  if (args.length !== 1 && !hasStage) {
    return `FROM has unexpected arguments "${args.slice(1).join(' ')}". Write ${FROM_FORM}`;
  }
  return hasStage ? addStageName(args[2], stages) : undefined;
}

function addStageName(name: string, stages: Set<string>): string | undefined {
  if (!STAGE_NAME.test(name)) {
    return `the stage name "${name}" must start with a letter and contain only letters, digits, "_", "." and "-"`;
  }
  const key = name.toLowerCase();
  if (stages.has(key)) {
    return `the stage name "${name}" is used twice, but stage names must be unique, ignoring case`;
  }
  stages.add(key);
  return undefined;
}
