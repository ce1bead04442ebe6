/**
 * Checks for free-form values (build arguments, branch names) before they
 * reach any generated file. Quoting already keeps every value literal. These
 * checks reject values whose literal reading would surprise the user, such as
 * a `$(...)` that a user may expect the shell to run.
 */
import { UsageError } from './errors';
import { printable } from './log';

export interface BuildArg {
  readonly key: string;
  readonly value: string;
}

const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Characters that no value may contain: C0 and C1 controls (newlines
 * included) and the Unicode line and paragraph separators, which end a
 * YAML 1.1 comment line. The bidirectional-text controls are rejected
 * too, because a reviewer would read the line in another order than the
 * shell does.
 */
const CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** U+FFFE and U+FFFF, which YAML readers such as libyaml reject. */
const NONCHARACTER = /[\uFFFE\uFFFF]/;

/** A high surrogate not followed by a low one, or a low one alone. */
const UNPAIRED_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Command substitution, `${...}` and `$NAME` references. */
const SHELL_EXPANSION = /`|\$[({A-Za-z_]/;

/**
 * Rejects a value that cannot stay one printable line, such as a file name
 * that the header comment of every generated file records. The message
 * ends with `fix`, the step the user takes instead.
 */
export function checkPrintableText(
  value: string,
  flag: string,
  fix: string,
): void {
  const unsafe =
    CONTROL.test(value) ||
    UNPAIRED_SURROGATE.test(value) ||
    NONCHARACTER.test(value);
  if (unsafe) {
    throw new UsageError(
      'VALUE_UNSAFE',
      `${flag} ${printable(JSON.stringify(value))} contains a control character, a line separator, a bidirectional-text control, a noncharacter or an unpaired surrogate, which the header comment of the generated files cannot hold; ${fix}`,
    );
  }
}

/** Rejects values that would not reach a build exactly as written. */
export function checkLiteralValue(value: string, what: string): void {
  if (CONTROL.test(value)) {
    throw new UsageError(
      'VALUE_UNSAFE',
      `${what} ${JSON.stringify(value)} contains a control character such as a newline, a line separator or a bidirectional-text control; use a single-line value of printable characters`,
    );
  }
  if (UNPAIRED_SURROGATE.test(value)) {
    throw new UsageError(
      'VALUE_UNSAFE',
      `${what} ${JSON.stringify(value)} contains an unpaired UTF-16 surrogate, which no file can hold; use valid Unicode text`,
    );
  }
  if (SHELL_EXPANSION.test(value)) {
    throw new UsageError(
      'VALUE_UNSAFE',
      `${what} ${JSON.stringify(value)} contains shell syntax ($NAME, \${...}, $(...) or backticks); gen-ci passes values literally, so write the literal value`,
    );
  }
}

export function parseBuildArg(text: string): BuildArg {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new UsageError(
      'BUILD_ARG_INVALID',
      `invalid --build-arg ${JSON.stringify(text)}: expected KEY=VALUE, such as VERSION=1.2`,
    );
  }
  const key = text.slice(0, equals);
  const value = text.slice(equals + 1);
  if (!BUILD_ARG_KEY.test(key)) {
    throw new UsageError(
      'BUILD_ARG_INVALID',
      `invalid --build-arg key ${JSON.stringify(key)}: use letters, digits and underscores, not starting with a digit`,
    );
  }
  checkLiteralValue(value, `--build-arg ${key} value`);
  return { key, value };
}

/** Parses every build argument; a key given twice is an error. */
export function parseBuildArgs(texts: readonly string[]): BuildArg[] {
  const byKey = new Map<string, BuildArg>();
  for (const text of texts) {
    const arg = parseBuildArg(text);
    if (byKey.has(arg.key)) {
      throw new UsageError(
        'BUILD_ARG_INVALID',
        `--build-arg ${arg.key} is given twice; keep one`,
      );
    }
    byKey.set(arg.key, arg);
  }
  return [...byKey.values()];
}

const BRANCH_NAME = /^[A-Za-z0-9._/-]+$/;

/**
 * Checks a publishing branch name: the characters that are safe in every
 * CI file, and the `git check-ref-format` rules that such names can break.
 * CI systems compare the short name, so `refs/heads/main` never matches.
 */
export function checkBranchName(branch: string): string {
  if (!BRANCH_NAME.test(branch) || branch.startsWith('-')) {
    throw new UsageError(
      'OPTION_INVALID',
      `invalid --branch ${JSON.stringify(branch)}: use letters, digits, '.', '_', '-' and '/'`,
    );
  }
  const problem = findRefProblem(branch);
  if (problem !== undefined) {
    throw new UsageError(
      'OPTION_INVALID',
      `invalid --branch ${JSON.stringify(branch)}: ${problem}; give the branch name as git shows it, such as main or release/1.x`,
    );
  }
  return branch;
}

/** Returns the `git check-ref-format` rule that `branch` breaks, if any. */
function findRefProblem(branch: string): string | undefined {
  if (branch.startsWith('refs/')) {
    return "it starts with 'refs/', but CI systems compare the short name";
  }
  if (branch.includes('..')) {
    return "git branch names cannot contain '..'";
  }
  if (branch.includes('//')) {
    return "git branch names cannot contain '//'";
  }
  if (branch.endsWith('/')) {
    return "git branch names cannot end with '/'";
  }
  if (branch.endsWith('.lock')) {
    return "git branch names cannot end with '.lock'";
  }
  return undefined;
}

/**
 * Rejects build argument values that end in white space when the GitHub
 * Actions workflow is generated: docker/build-push-action trims each line
 * of its `build-args` input, so the build would get the value without it.
 */
export function checkBuildArgsForCis(
  args: readonly BuildArg[],
  cis: readonly string[],
): BuildArg[] {
  const trimmed = args.find((arg) => /\s$/u.test(arg.value));
  if (cis.includes('github') && trimmed) {
    throw new UsageError(
      'VALUE_UNSAFE',
      `--build-arg ${trimmed.key} value ${JSON.stringify(trimmed.value)} ends in white space, which GitHub Actions' build-push-action trims; remove the white space or leave github out of --ci`,
    );
  }
  return [...args];
}
