import type { LintRule } from '../lint/types';
import { hint, TRAVIS_DISTS, valuesOf } from './travis-values';

const KNOWN: readonly string[] = TRAVIS_DISTS;

export const travisDistRule: LintRule = {
  id: 'travis-dist-unknown',
  severity: 'error',
  reason: 'a job with an unknown dist gets no build environment',
  cis: ['travis'],
  check(context) {
    return valuesOf(context, 'dist').flatMap(({ value, pointer }) => {
      if (typeof value !== 'string' || KNOWN.includes(value.toLowerCase())) {
        return [];
      }
      return [
        {
          pointer,
          message: `unknown Travis CI dist ${JSON.stringify(value)}${hint(value.toLowerCase(), KNOWN)}; choose from ${KNOWN.join(', ')}`,
        },
      ];
    });
  },
};
