import { suggestNearest } from '../../arch/suggest';
import type { LintRule, RuleHit } from '../lint/types';
import { DEPRECATED_GROUP, TRAVIS_GROUPS, valuesOf } from './travis-values';

const KNOWN: readonly string[] = TRAVIS_GROUPS;

function checkGroup(value: unknown, pointer: string): RuleHit | undefined {
  const text = String(value).toLowerCase();
  if (KNOWN.includes(text) || DEPRECATED_GROUP.test(text)) {
    return undefined;
  }
  const nearest = suggestNearest(text, KNOWN, 2);
  if (nearest) {
    return {
      pointer,
      message: `Travis CI group ${JSON.stringify(value)} is misspelled (did you mean ${nearest}?)`,
    };
  }
  return {
    pointer,
    severity: 'warning',
    message: `Travis CI group ${JSON.stringify(value)} is not a known image group (${KNOWN.join(', ')}, deprecated-<year>Q<n>)`,
  };
}

export const travisGroupRule: LintRule = {
  id: 'travis-group-unknown',
  severity: 'error',
  reason:
    "SchemaStore's travis.json accepts any group, so group: egde passes the schema and the job silently loses the edge image",
  cis: ['travis'],
  check(context) {
    return valuesOf(context, 'group').flatMap(({ value, pointer }) => {
      const hit = checkGroup(value, pointer);
      return hit ? [hit] : [];
    });
  },
};
