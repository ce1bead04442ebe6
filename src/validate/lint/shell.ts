/**
 * Just enough shell parsing to find Docker commands in CI scripts: the
 * text is split into simple commands at newlines, `;`, `&&`, `||`, `|`
 * and `&`, and each command into words with quotes removed. Command
 * substitutions `$(...)` and `${...}` stay inside their word. This is not
 * a shell: it does not expand variables, and a word that came from a
 * variable is unknown to every rule.
 */

export interface SimpleCommand {
  readonly words: readonly string[];
}

/** Words that may precede the program of a simple command. */
const PREFIX_WORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  'time',
  'exec',
  'command',
  'sudo',
  '{',
  '(',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function splitCommands(text: string): SimpleCommand[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) {
      words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) {
      commands.push({ words });
    }
    words = [];
  };
  for (let i = 0; i < joined.length; i += 1) {
    const char = joined[i];
    if (char === "'" || char === '"') {
      const end = closingQuote(joined, i);
      word += unescapeQuoted(joined.slice(i + 1, end), char);
      inWord = true;
      i = end;
    } else if (
      char === '$' &&
      (joined[i + 1] === '(' || joined[i + 1] === '{')
    ) {
      const end = closingBracket(joined, i + 1);
      word += joined.slice(i, end + 1);
      inWord = true;
      i = end;
    } else if (char === '\\' && i + 1 < joined.length) {
      word += joined[i + 1];
      inWord = true;
      i += 1;
    } else if (char === '#' && !inWord) {
      i = skipComment(joined, i);
      endCommand();
    } else if ('\n;|&'.includes(char)) {
      endCommand();
    } else if (/\s/.test(char)) {
      endWord();
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') {
      i += 1;
    } else if (text[i] === quote) {
      return i;
    }
  }
  return text.length;
}

function unescapeQuoted(body: string, quote: string): string {
  return quote === '"' ? body.replace(/\\(["\\$`])/g, '$1') : body;
}

/** Index of the bracket that closes the one at `start`, nesting aware. */
function closingBracket(text: string, start: number): number {
  const open = text[start];
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === open) {
      depth += 1;
    } else if (text[i] === close) {
      depth -= 1;
      if (depth === 0) {
        return i;
      }
    }
  }
  return text.length;
}

function skipComment(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end === -1 ? text.length : end;
}

/**
 * Returns the words from the program on: without leading shell keywords,
 * `sudo`, `travis_wait [minutes]` and `NAME=value` assignments.
 */
export function programWords(command: SimpleCommand): readonly string[] {
  const words = command.words;
  let start = 0;
  while (start < words.length) {
    const word = words[start];
    if (PREFIX_WORDS.has(word) || ASSIGNMENT.test(word)) {
      start += 1;
    } else if (word === 'travis_wait') {
      start += /^\d+$/.test(words[start + 1] ?? '') ? 2 : 1;
    } else {
      break;
    }
  }
  return words.slice(start);
}

/** Returns the arguments after `docker`, or undefined for other programs. */
export function dockerArgs(
  command: SimpleCommand,
): readonly string[] | undefined {
  const [program, ...args] = programWords(command);
  return program === 'docker' || program?.endsWith('/docker')
    ? args
    : undefined;
}

/** Returns the value of `--name value` or `--name=value`. */
export function optionValue(
  args: readonly string[],
  names: readonly string[],
): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    for (const name of names) {
      if (args[i] === name) {
        return args[i + 1];
      }
      if (args[i].startsWith(`${name}=`)) {
        return args[i].slice(name.length + 1);
      }
    }
  }
  return undefined;
}

export function hasFlag(args: readonly string[], name: string): boolean {
  return args.some((arg) => arg === name || arg.startsWith(`${name}=`));
}

/** Tells whether a word's value depends on the shell or CI at run time. */
export function isDynamic(word: string): boolean {
  return /\$|`/.test(word);
}
