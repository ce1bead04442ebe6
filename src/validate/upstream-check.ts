/**
 * Validation against a public CI schema: ajv's errors reduced to one per
 * mistake, placed at their line, with known false positives of the schema
 * dropped or downgraded to warnings.
 */
import type { Finding } from './findings';
import { locate } from './locate';
import { reduceSchemaErrors } from './schema-errors';
import {
  applyKnownFalsePositives,
  type CheckerResult,
} from './upstream-false-positives';
import type { UpstreamValidator } from './upstream/loader';
import type { ParsedYaml } from './yaml-checks';

export function upstreamRuleId(validator: UpstreamValidator): string {
  return `upstream-${validator.schema.id}`;
}

export function checkUpstreamSchema(
  validator: UpstreamValidator,
  file: string,
  parsed: ParsedYaml,
): Finding[] {
  const { validate } = validator;
  if (validate(parsed.value)) {
    return [];
  }
  const results: CheckerResult[] = reduceSchemaErrors(
    validate.errors ?? [],
    parsed.value,
  ).map((problem) => ({
    source: validator.schema.id,
    path: problem.instancePath,
    keyword: problem.keyword,
    finding: {
      file,
      ...locate(parsed, problem.instancePath),
      severity: 'error',
      message: problem.message,
      rule: upstreamRuleId(validator),
    },
  }));
  return applyKnownFalsePositives(results);
}
