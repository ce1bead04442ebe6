import type { LintRule, RuleHit } from '../lint/types';
import {
  hint,
  TRAVIS_ARCH_ALIASES,
  TRAVIS_ARCHES,
  travisArchFor,
  valuesOf,
} from './travis-values';

const KNOWN: readonly string[] = TRAVIS_ARCHES;

function checkArch(value: string, pointer: string): RuleHit | undefined {
  const lower = value.toLowerCase();
  if (KNOWN.includes(lower)) {
    return undefined;
  }
  const alias = TRAVIS_ARCH_ALIASES[lower];
  if (alias) {
    return {
      pointer,
      severity: 'warning',
      message: `arch ${value} is travis-yml's alias of ${alias}; write ${alias}`,
    };
  }
  const mapped = travisArchFor(lower);
  const fix = mapped ? ` (write ${mapped})` : hint(lower, KNOWN);
  return {
    pointer,
    message: `unknown Travis CI arch ${JSON.stringify(value)}${fix}; Travis CI accepts ${KNOWN.join(', ')}, and has run jobs with an unknown arch on amd64 without a warning`,
  };
}

export const travisArchRule: LintRule = {
  id: 'travis-arch-unknown',
  severity: 'error',
  reason:
    'Travis CI has run jobs with a misspelled arch, such as aarch64, on amd64 without a warning',
  cis: ['travis'],
  check(context) {
    return valuesOf(context, 'arch').flatMap(({ value, pointer }) => {
      const hit =
        typeof value === 'string' ? checkArch(value, pointer) : undefined;
      return hit ? [hit] : [];
    });
  },
};
