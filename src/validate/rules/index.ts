/**
 * The lint rules: checks of CI files that the public schemas cannot make,
 * each with an id, a severity and the reason it exists. Each rule has a
 * failing and a passing fixture in test/fixtures/lint/<id>/.
 */
import type { LintRule } from '../lint/types';
import { buildxLoadRule } from './buildx-load';
import { dockerLoginPasswordRule } from './docker-login-password';
import { githubRunnerLabelRule } from './github-runner-label';
import { githubUntrustedExpressionRule } from './github-untrusted-expression';
import { gitlabDindTlsRule } from './gitlab-dind-tls';
import { qemuFixBinaryRule } from './qemu-fix-binary';
import { qemuImagePinnedRule } from './qemu-image-pinned';
import { qemuOtherJobRule } from './qemu-other-job';
import { travisArchRule } from './travis-arch';
import { travisArchCombinationRule } from './travis-arch-combination';
import { travisDistRule } from './travis-dist';
import { travisGroupRule } from './travis-group';
import { travisKeyRule } from './travis-key';
import { travisVirtRule } from './travis-virt';

export const LINT_RULES: readonly LintRule[] = [
  travisArchRule,
  travisDistRule,
  travisVirtRule,
  travisGroupRule,
  travisArchCombinationRule,
  travisKeyRule,
  githubRunnerLabelRule,
  githubUntrustedExpressionRule,
  qemuFixBinaryRule,
  qemuImagePinnedRule,
  qemuOtherJobRule,
  gitlabDindTlsRule,
  dockerLoginPasswordRule,
  buildxLoadRule,
];
