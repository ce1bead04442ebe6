/**
 * Generates pipelines for four foreign platforms, runs their jobs for real
 * on this machine (QEMU through binfmt_misc, a private Docker daemon and a
 * loopback registry), and checks the published multi-platform image.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withoutFixBinary } from './binfmt';
import { EXPECTED } from './cases';
import { gitlabCiLocalProblem } from './gitlab-pipeline';
import {
  generatePipelines,
  log,
  prepareGitlab,
  prepareTravis,
  removeTemporaryFolders,
  requireEnvironment,
  runFromClean,
} from './harness';
import type { PreparedRun } from './harness';
import { checkPublishedImage } from './published-image';
import { assertPipelinePassed } from './runner';

const availability = inject('e2e');
if (!availability.ok) {
  console.log(`skipped: ${availability.reason}`);
}
const gitlabProblem = gitlabCiLocalProblem();
if (availability.ok && gitlabProblem !== undefined) {
  console.log(`skipped GitLab: ${gitlabProblem}`);
}

/** Runs the pipeline, checks the image, and prints each platform. */
async function runAndCheck(
  run: PreparedRun,
  repository: string,
  label: string,
) {
  const env = requireEnvironment(availability);
  const result = await runFromClean(env, run, repository);
  assertPipelinePassed(result);
  const reports = await checkPublishedImage(
    env,
    repository,
    'latest',
    EXPECTED,
  );
  for (const report of reports) {
    log(
      `${label}: ${report.platform.padEnd(13)} uname -m: ${report.unameM.padEnd(8)} (at build: ${report.buildUnameM}; listed ${report.listed})`,
    );
  }
  for (const report of reports) {
    expect(report.buildUnameM).toBe(report.unameM);
  }
}

describe.skipIf(!availability.ok)('generated pipelines on QEMU', () => {
  afterAll(removeTemporaryFolders);

  const repository = 'gen-ci-e2e/emulated';
  let workspace = '';

  beforeAll(() => {
    const env = requireEnvironment(availability);
    workspace = generatePipelines(env, 'travis,gitlab', repository);
  });

  it('travis publishes four platforms', async () => {
    const env = requireEnvironment(availability);
    await runAndCheck(prepareTravis(env, workspace), repository, 'travis');
  });

  it.skipIf(gitlabProblem !== undefined)(
    'gitlab publishes four platforms',
    async () => {
      const env = requireEnvironment(availability);
      await runAndCheck(prepareGitlab(env, workspace), repository, 'gitlab');
    },
  );

  it('travis legacy builds without the F flag', async () => {
    const env = requireEnvironment(availability);
    const legacyRepository = 'gen-ci-e2e/legacy';
    const legacyWorkspace = generatePipelines(env, 'travis', legacyRepository, [
      '--strategy',
      'legacy',
    ]);
    const run = prepareTravis(env, legacyWorkspace);

    await withoutFixBinary(log, () =>
      runAndCheck(run, legacyRepository, 'travis legacy'),
    );
  });
});
