/**
 * Findings of third-party checkers that are known to be wrong, with the
 * reason for each. A matching finding is dropped (`suppress`) or kept as a
 * warning (`warn`), the reason appended. Every entry comes from a case
 * seen in the public schema test suites, the real-world corpus that the
 * tests read, or the checker's documented limits.
 */
import type { Finding } from './findings';
import type { UpstreamSchemaId } from './upstream/catalog';

export type FalsePositiveSource = UpstreamSchemaId | 'actionlint';

export interface KnownFalsePositive {
  readonly source: FalsePositiveSource;
  /** JSON pointer of the value (schemas only). */
  readonly path?: RegExp;
  /** ajv keyword for schemas, actionlint's `kind` for actionlint. */
  readonly keyword?: string;
  readonly message?: RegExp;
  readonly reason: string;
  readonly action: 'suppress' | 'warn';
}

export const KNOWN_FALSE_POSITIVES: readonly KnownFalsePositive[] = [
  {
    source: 'travis',
    path: /^\/env(\/(global|matrix|jobs))?\/\d+$/,
    keyword: 'additionalProperties',
    reason:
      'travis.json accepts only "KEY=value" strings and {secure: ...} entries, but Travis CI also reads a map entry (KEY: value) as the variable KEY',
    action: 'warn',
  },
  {
    source: 'actionlint',
    keyword: 'runner-label',
    reason:
      "actionlint 1.6.22 predates the ubuntu-24.04, ubuntu-24.04-arm and newer runner labels and rejects every self-hosted label; gen-ci's github-runner-label rule checks labels against a current list instead",
    action: 'suppress',
  },
  {
    source: 'actionlint',
    keyword: 'expression',
    message: /undefined variable "vars"/,
    reason:
      'actionlint 1.6.22 predates the vars context (configuration variables, added to GitHub Actions in 2023)',
    action: 'suppress',
  },
];

/** What a checker reported, before it becomes a finding. */
export interface CheckerResult {
  readonly source: FalsePositiveSource;
  readonly path?: string;
  readonly keyword: string;
  readonly finding: Finding;
}

function matches(entry: KnownFalsePositive, result: CheckerResult): boolean {
  return (
    entry.source === result.source &&
    (entry.keyword === undefined || entry.keyword === result.keyword) &&
    (entry.path === undefined ||
      (result.path !== undefined && entry.path.test(result.path))) &&
    (entry.message === undefined || entry.message.test(result.finding.message))
  );
}

/** Applies the table: drops or downgrades the known false positives. */
export function applyKnownFalsePositives(
  results: readonly CheckerResult[],
  table: readonly KnownFalsePositive[] = KNOWN_FALSE_POSITIVES,
): Finding[] {
  const findings: Finding[] = [];
  for (const result of results) {
    const entry = table.find((candidate) => matches(candidate, result));
    if (!entry) {
      findings.push(result.finding);
    } else if (entry.action === 'warn') {
      findings.push({
        ...result.finding,
        severity: 'warning',
        message: `${result.finding.message} (known false positive: ${entry.reason})`,
      });
    }
  }
  return findings;
}
