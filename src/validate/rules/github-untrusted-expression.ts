import type { LintRule, RuleHit } from '../lint/types';

/**
 * Contexts whose text anyone who opens an issue, a pull request or a
 * comment controls, from GitHub's security hardening guide for Actions.
 */
const UNTRUSTED = [
  /github\.event\.(issue|pull_request|discussion)\.(title|body)\b/,
  /github\.event\.(comment|review|review_comment)\.body\b/,
  /github\.event\.pages(\[[^\]]*\]|\.\*)\.page_name\b/,
  /github\.event\.commits(\[[^\]]*\]|\.\*)\.(message|author\.(email|name))\b/,
  /github\.event\.head_commit\.(message|author\.(email|name))\b/,
  /github\.event\.pull_request\.head\.(ref|label|repo\.default_branch)\b/,
  /github\.event\.workflow_run\.(head_branch|display_title|head_commit\.(message|author\.(email|name)))\b/,
  /github\.head_ref\b/,
];

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

function untrustedIn(expression: string): string | undefined {
  for (const pattern of UNTRUSTED) {
    const match = pattern.exec(expression);
    if (match) {
      return match[0];
    }
  }
  return undefined;
}

export const githubUntrustedExpressionRule: LintRule = {
  id: 'github-untrusted-expression',
  severity: 'error',
  reason:
    'GitHub pastes ${{ }} results into the script before the shell runs it, so a crafted title or branch name runs as code',
  cis: ['github'],
  check(context) {
    const hits = new Map<string, RuleHit>();
    for (const job of context.jobs) {
      for (const line of job.commands) {
        for (const match of line.text.matchAll(EXPRESSION)) {
          const context = untrustedIn(match[1]);
          if (context) {
            hits.set(`${line.pointer}\u0000${match[0]}`, {
              pointer: line.pointer,
              word: match[0],
              message: `${match[0]} in run: puts ${context}, which others control, into the shell script; pass it through env: and use "$NAME" in the script`,
            });
          }
        }
      }
    }
    return [...hits.values()];
  },
};
