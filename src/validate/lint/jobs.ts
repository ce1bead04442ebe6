import type { CiName } from '../../ci/platforms';
import type { ParsedYaml } from '../yaml-checks';
import { githubJobs } from './jobs-github';
import { gitlabJobs } from './jobs-gitlab';
import { travisJobs } from './jobs-travis';
import type { CiJob } from './types';
import type { YamlObject } from './values';

/** The jobs of a CI file, in the order the file defines them. */
export function jobsOf(
  ci: CiName,
  root: YamlObject,
  parsed: ParsedYaml,
): CiJob[] {
  switch (ci) {
    case 'travis':
      return travisJobs(root);
    case 'gitlab':
      return gitlabJobs(root, parsed);
    case 'github':
      return githubJobs(root);
  }
}
