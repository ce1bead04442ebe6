import type { LintRule } from '../lint/types';
import { hint, TRAVIS_VIRTS, valuesOf } from './travis-values';

const KNOWN: readonly string[] = TRAVIS_VIRTS;

export const travisVirtRule: LintRule = {
  id: 'travis-virt-unknown',
  severity: 'error',
  reason:
    "SchemaStore's travis.json leaves virt untyped, so a misspelled value passes the schema",
  cis: ['travis'],
  check(context) {
    return valuesOf(context, 'virt').flatMap(({ value, pointer }) => {
      const text = String(value).toLowerCase();
      if (KNOWN.includes(text)) {
        return [];
      }
      return [
        {
          pointer,
          message: `unknown Travis CI virt ${JSON.stringify(value)}${hint(text, KNOWN)}; choose lxd or vm`,
        },
      ];
    });
  },
};
