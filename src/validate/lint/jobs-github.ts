/**
 * GitHub Actions jobs: each entry of `jobs`, with its `run:` steps as
 * shell code and its `uses:` steps as actions. A job that calls a
 * reusable workflow has neither.
 */
import { pointerOf } from '../locate';
import { isHostedArm64Label, isHostedX64Label } from './github-runners';
import type { ActionStep, CiJob, ShellLine } from './types';
import {
  asList,
  asObject,
  asString,
  isObject,
  type YamlObject,
} from './values';

export function githubJobs(root: YamlObject): CiJob[] {
  return Object.entries(asObject(root.jobs)).map(([id, value]) => {
    const job = asObject(value);
    const commands: ShellLine[] = [];
    const actions: ActionStep[] = [];
    asList(job.steps).forEach((step, index) => {
      if (!isObject(step)) {
        return;
      }
      const pointer = pointerOf(['jobs', id, 'steps', index]);
      const run = asString(step.run);
      if (run !== undefined) {
        commands.push({ text: run, pointer: `${pointer}/run` });
      }
      const uses = asString(step.uses);
      if (uses !== undefined) {
        actions.push({ uses, inputs: asObject(step.with), pointer });
      }
    });
    return {
      name: id,
      pointer: pointerOf(['jobs', id]),
      hidden: false,
      runnerArch: runnerArch(job['runs-on']),
      commands,
      actions,
      variables: Object.fromEntries(
        Object.entries(asObject(job.env)).map(([key, value]) => [
          key,
          { value, pointer: pointerOf(['jobs', id, 'env', key]) },
        ]),
      ),
      services: [],
    };
  });
}

/** Returns the runner's architecture when the labels make it certain. */
function runnerArch(runsOn: unknown): string | undefined {
  const labels = isObject(runsOn) ? asList(runsOn.labels) : asList(runsOn);
  const names = labels.map((label) => String(label));
  if (names.length === 0 || names.some((name) => name.includes('${{'))) {
    return undefined;
  }
  if (
    names.some(isHostedArm64Label) ||
    names.some((name) => /^arm64$/i.test(name))
  ) {
    return 'arm64';
  }
  if (
    names.some(isHostedX64Label) ||
    names.some((name) => /^x64$/i.test(name))
  ) {
    return 'amd64';
  }
  return undefined;
}
