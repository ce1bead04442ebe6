/**
 * Just enough shell parsing to find the `docker run` and `docker build`
 * invocations in a generated command line, so that the tests can provide
 * the images those invocations name.
 */

const OPERATORS = new Set(['|', ';', '&', '(', ')', '\n']);
/** Words that may precede a command without being the command. */
const PREFIX_WORDS = new Set([
  'then',
  'else',
  'elif',
  'do',
  'if',
  'while',
  '{',
  '!',
]);

/**
 * Splits a command line into simple commands, each a list of words, at
 * unquoted `|`, `;`, `&`, `(`, `)` and newlines. Quotes and backslashes are
 * removed, but `$NAME` and `$(…)` stay as written. Nested quotes inside `$(…)`
 * are not understood, which is fine for the docker words the tests need.
 */
export function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  let quote: '' | "'" | '"' = '';
  const endWord = () => {
    if (word !== undefined) {
      words.push(word);
      word = undefined;
    }
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) {
      commands.push(words);
    }
    words = [];
  };
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quote === "'") {
      if (char === "'") {
        quote = '';
      } else {
        word += char;
      }
      continue;
    }
    if (quote === '"') {
      if (char === '"') {
        quote = '';
      } else if (char === '\\' && '$`"\\'.includes(line[index + 1] ?? '')) {
        index += 1;
        word += line[index];
      } else {
        word += char;
      }
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\') {
      index += 1;
      word = (word ?? '') + (line[index] ?? '');
    } else if (char === '$' && line[index + 1] === '(') {
      // Keep `$(…)` as one piece of the word, up to its closing bracket.
      const end = line.indexOf(')', index);
      const stop = end === -1 ? line.length : end + 1;
      word = (word ?? '') + line.slice(index, stop);
      index = stop - 1;
    } else if (OPERATORS.has(char)) {
      endCommand();
    } else if (char === ' ' || char === '\t') {
      endWord();
    } else {
      word = (word ?? '') + char;
    }
  }
  endCommand();
  return commands.map(dropPrefixWords).filter((command) => command.length > 0);
}

function dropPrefixWords(words: string[]): string[] {
  let start = 0;
  while (start < words.length && PREFIX_WORDS.has(words[start])) {
    start += 1;
  }
  return words.slice(start);
}

/** Options of `docker run` (20.10) that take a value as the next word. */
const RUN_VALUE_OPTIONS = new Set([
  '--platform',
  '--network',
  '--net',
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--name',
  '-w',
  '--workdir',
  '--entrypoint',
  '-u',
  '--user',
  '--mount',
  '-p',
  '--publish',
  '--add-host',
  '-h',
  '--hostname',
  '-l',
  '--label',
  '--pull',
  '--runtime',
  '--device',
  '--tmpfs',
  '--security-opt',
  '--cap-add',
  '--cap-drop',
  '--ipc',
  '--pid',
  '--restart',
  '--shm-size',
  '-m',
  '--memory',
  '--cpus',
  '--ulimit',
  '--cidfile',
  '--log-driver',
]);

/** Options of `docker build` (20.10) that take a value as the next word. */
const BUILD_VALUE_OPTIONS = new Set([
  '-f',
  '--file',
  '--platform',
  '-t',
  '--tag',
  '--build-arg',
  '--target',
  '--network',
  '--label',
  '--cache-from',
  '--iidfile',
  '--progress',
  '--secret',
  '--ssh',
  '-o',
  '--output',
  '--add-host',
  '--isolation',
]);

export interface ParsedOptions {
  readonly options: Map<string, string[]>;
  readonly positional: string[];
}

/** Splits the words after `docker <command>` into options and operands. */
function parseOptions(
  words: readonly string[],
  valueOptions: ReadonlySet<string>,
  stopAtFirstOperand: boolean,
): ParsedOptions {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (name: string, value: string) =>
    options.set(name, [...(options.get(name) ?? []), value]);
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index];
    if (positional.length > 0 && stopAtFirstOperand) {
      positional.push(word);
    } else if (word.startsWith('-') && word.includes('=')) {
      const [name, ...rest] = word.split('=');
      add(name, rest.join('='));
    } else if (valueOptions.has(word)) {
      index += 1;
      add(word, words[index] ?? '');
    } else if (word.startsWith('-')) {
      add(word, '');
    } else {
      positional.push(word);
    }
  }
  return { options, positional };
}

export interface DockerRun {
  readonly image: string;
  readonly platform?: string;
  /** Words after the image: the command run in the container. */
  readonly command: readonly string[];
}

export interface DockerBuild {
  /** Dockerfile path as written, `Dockerfile` when absent. */
  readonly file: string;
  readonly platform?: string;
  readonly context: string;
}

function dockerCommands(line: string, subcommand: string): string[][] {
  return simpleCommands(line)
    .filter((words) => words[0] === 'docker' && words[1] === subcommand)
    .map((words) => words.slice(2));
}

export function findDockerRuns(line: string): DockerRun[] {
  return dockerCommands(line, 'run').map((words) => {
    const parsed = parseOptions(words, RUN_VALUE_OPTIONS, true);
    const [image = '', ...command] = parsed.positional;
    return { image, platform: parsed.options.get('--platform')?.[0], command };
  });
}

export function findDockerBuilds(line: string): DockerBuild[] {
  return dockerCommands(line, 'build').map((words) => {
    const parsed = parseOptions(words, BUILD_VALUE_OPTIONS, false);
    const file =
      parsed.options.get('--file')?.[0] ?? parsed.options.get('-f')?.[0];
    return {
      file: file ?? 'Dockerfile',
      platform: parsed.options.get('--platform')?.[0],
      context: parsed.positional[0] ?? '.',
    };
  });
}
