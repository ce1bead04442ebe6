import type { CiName } from '../ci/platforms';
import { githubTarget } from './github';
import { gitlabTarget } from './gitlab';
import { travisTarget } from './travis';
import type { Target } from './types';

export const TARGETS: Readonly<Record<CiName, Target>> = {
  travis: travisTarget,
  gitlab: gitlabTarget,
  github: githubTarget,
};
