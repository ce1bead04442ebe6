/**
 * Breaks generated files on purpose and checks that the end-to-end run
 * catches it: the failure names the job and the step and shows the
 * command's output, or the registry check names the wrong platform.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { binfmtProblem } from './environment';
import { withoutFixBinary } from './binfmt';
import { EXPECTED } from './cases';
import { gitlabCiLocalProblem } from './gitlab-pipeline';
import {
  editGenerated,
  generatePipelines,
  log,
  prepareGitlab,
  prepareTravis,
  removeTemporaryFolders,
  requireEnvironment,
  runFromClean,
} from './harness';
import { checkPublishedImage } from './published-image';
import { assertPipelinePassed } from './runner';
import type { PipelineResult } from './runner';

const availability = inject('e2e');
if (!availability.ok) {
  console.log(`skipped: ${availability.reason}`);
}

/** Returns the pipeline's failure message, which the tests inspect. */
function failureMessage(result: PipelineResult): string {
  try {
    assertPipelinePassed(result);
  } catch (error) {
    const message = (error as Error).message;
    log(`expected failure, as reported:\n${message}`);
    return message;
  }
  throw new Error('the broken pipeline passed');
}

describe.skipIf(!availability.ok)('deliberately broken pipelines', () => {
  afterAll(removeTemporaryFolders);

  it('travis build without --platform fails', async () => {
    const env = requireEnvironment(availability);
    const repository = 'gen-ci-e2e/broken-platform';
    const workspace = generatePipelines(env, 'travis', repository);
    editGenerated(
      workspace,
      '.travis.yml',
      'docker build --platform linux/arm/v7 ',
      'docker build ',
    );
    const run = prepareTravis(env, workspace);

    const result = await runFromClean(env, run, repository);
    const message = failureMessage(result);

    expect(message).toContain(
      'travis job "build arm/v7" (stage build) failed at script[0]',
    );
    expect(message).toContain('command: docker build --file Dockerfile.armv7');
    // Without --platform BuildKit wants an amd64 arm32v7/alpine:3.22 and
    // tries to pull it, which the daemon's closed proxy refuses.
    expect(message).toMatch(/\| .*arm32v7\/alpine:3\.22/);
    expect(result.skippedStages).toEqual(['manifest']);
    const passed = result.jobs.filter((job) => job.state === 'ok');
    expect(passed.map((job) => job.job.name).sort()).toEqual([
      'build arm64',
      'build ppc64le',
      'build s390x',
    ]);
  });

  it.skipIf(gitlabCiLocalProblem() !== undefined)(
    'gitlab build without --platform fails',
    async () => {
      const env = requireEnvironment(availability);
      const repository = 'gen-ci-e2e/broken-gitlab';
      const workspace = generatePipelines(env, 'gitlab', repository);
      editGenerated(
        workspace,
        '.gitlab-ci.yml',
        'docker build --platform "$PLATFORM" ',
        'docker build ',
      );
      const run = prepareGitlab(env, workspace);

      const result = await runFromClean(env, run, repository);
      const message = failureMessage(result);

      expect(message).toContain(
        'gitlab job "build-emulated: [armv7,linux/arm/v7]" (stage build) failed at script[2]',
      );
      expect(message).toContain(
        'command: docker build --file "Dockerfile.$ARCH"',
      );
      expect(message).toMatch(/\| .*arm32v7\/alpine:3\.22/);
      expect(result.skippedStages).toEqual(['manifest']);
    },
  );

  it('travis legacy with the wrong QEMU binary fails', async () => {
    const env = requireEnvironment(availability);
    const repository = 'gen-ci-e2e/broken-qemu';
    const workspace = generatePipelines(env, 'travis', repository, [
      '--strategy',
      'legacy',
    ]);
    // As if the arm/v7 record named the arm64 emulator.
    editGenerated(
      workspace,
      'Dockerfile.armv7',
      'x86_64-arm-',
      'x86_64-aarch64-',
    );
    editGenerated(
      workspace,
      'Dockerfile.armv7',
      'qemu-arm-static',
      'qemu-aarch64-static',
      2,
    );
    const run = prepareTravis(env, workspace);

    const result = await withoutFixBinary(log, () =>
      runFromClean(env, run, repository),
    );
    const message = failureMessage(result);

    // script[0] pulls the base for linux/arm/v7; the build comes next.
    expect(message).toContain(
      'travis job "build arm/v7" (stage build) failed at script[1]',
    );
    expect(message).toContain('command: docker build --file Dockerfile.armv7');
    // The arm handler, without F, finds no /usr/bin/qemu-arm-static in
    // the container, so the first RUN cannot start its shell.
    expect(message).toMatch(/\| .*no such file or directory/);
    expect(binfmtProblem()).toBeUndefined();
  });

  it('F flag comes back after a failure', async () => {
    requireEnvironment(availability);
    const failing = withoutFixBinary(log, () => {
      expect(binfmtProblem()).toMatch(/lacks the F \(fix-binary\) flag/);
      throw new Error('failure inside the legacy window');
    });

    await expect(failing).rejects.toThrow('failure inside the legacy window');
    expect(binfmtProblem()).toBeUndefined();
  });

  it('wrong manifest variant fails the check', async () => {
    const env = requireEnvironment(availability);
    const repository = 'gen-ci-e2e/broken-variant';
    const workspace = generatePipelines(env, 'travis', repository);
    editGenerated(
      workspace,
      '.travis.yml',
      '--arch arm --variant v7',
      '--arch arm --variant v6',
    );
    const run = prepareTravis(env, workspace);

    const result = await runFromClean(env, run, repository);
    assertPipelinePassed(result);
    const check = checkPublishedImage(env, repository, 'latest', EXPECTED);

    await expect(check).rejects.toThrow(
      /lists .*linux\/arm\/v6.*, expected exactly/,
    );
    await check.catch((error: Error) =>
      log(`expected failure, as reported: ${error.message}`),
    );
  });
});
