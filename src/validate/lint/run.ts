/** Runs the lint rules that apply to a CI file and places their findings. */
import type { CiName } from '../../ci/platforms';
import type { Finding } from '../findings';
import { locate, locateKey, locateWord } from '../locate';
import { LINT_RULES } from '../rules';
import type { ParsedYaml } from '../yaml-checks';
import { jobsOf } from './jobs';
import type { LintContext, LintRule, RuleHit } from './types';
import { isObject } from './values';

export interface LintInput {
  readonly file: string;
  readonly ci: CiName;
  readonly parsed: ParsedYaml;
  readonly companion?: (relativePath: string) => string | undefined;
}

export function runLint(
  input: LintInput,
  rules: readonly LintRule[] = LINT_RULES,
): Finding[] {
  const root = isObject(input.parsed.value) ? input.parsed.value : {};
  const context: LintContext = {
    file: input.file,
    ci: input.ci,
    parsed: input.parsed,
    root,
    jobs: jobsOf(input.ci, root, input.parsed),
    companion: input.companion ?? (() => undefined),
  };
  const findings = rules
    .filter((rule) => rule.cis.includes(input.ci))
    .flatMap((rule) =>
      rule.check(context).map((hit) => toFinding(context, rule, hit)),
    );
  return dedupe(findings);
}

function toFinding(
  context: LintContext,
  rule: LintRule,
  hit: RuleHit,
): Finding {
  const { parsed } = context;
  let position = locate(parsed, hit.pointer);
  if (hit.atKey) {
    position = locateKey(parsed, hit.pointer);
  } else if (hit.word !== undefined) {
    position = locateWord(parsed, hit.pointer, hit.word);
  }
  return {
    file: context.file,
    ...position,
    severity: hit.severity ?? rule.severity,
    message: hit.message,
    rule: rule.id,
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = [
      finding.line,
      finding.column,
      finding.rule,
      finding.message,
    ].join('\u0000');
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
