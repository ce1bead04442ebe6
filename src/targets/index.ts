import type { CiName } from '../ci/platforms';
import { travisTarget } from './travis';
import type { Target } from './types';

export const TARGETS: Partial<Record<CiName, Target>> = {
  travis: travisTarget,
};
