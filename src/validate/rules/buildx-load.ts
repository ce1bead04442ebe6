import {
  actionName,
  actionPlatforms,
  commandsOf,
  platformOf,
  uniqueLines,
  type PlatformUse,
} from '../lint/docker';
import { dockerArgs, hasFlag } from '../lint/shell';
import type { LintContext, LintRule, RuleHit } from '../lint/types';

function several(use: PlatformUse | undefined): use is PlatformUse {
  return use !== undefined && !use.dynamic && use.platforms.length > 1;
}

function message(use: PlatformUse): string {
  return `--load with ${use.platforms.length} platforms (${use.platforms.join(', ')}) fails: Docker's classic image store cannot hold a multi-platform image; load one platform, or push instead`;
}

function commandHits(context: LintContext): RuleHit[] {
  return commandsOf(uniqueLines(context)).flatMap(({ command, line }) => {
    const args = dockerArgs(command);
    const use = platformOf(command);
    if (!args || !hasFlag(args, '--load') || !several(use)) {
      return [];
    }
    return [{ pointer: line.pointer, word: '--load', message: message(use) }];
  });
}

function actionHits(context: LintContext): RuleHit[] {
  const steps = context.jobs.flatMap((job) => job.actions);
  return steps.flatMap((step) => {
    const load = step.inputs.load;
    const use = actionPlatforms(step);
    const loads = load === true || load === 'true';
    if (
      actionName(step.uses) !== 'docker/build-push-action' ||
      !loads ||
      !several(use)
    ) {
      return [];
    }
    return [{ pointer: `${step.pointer}/with/load`, message: message(use) }];
  });
}

export const buildxLoadRule: LintRule = {
  id: 'buildx-load-multi-platform',
  severity: 'error',
  reason:
    'docker buildx --load of several platforms fails with "docker exporter does not currently support exporting manifest lists" unless the containerd image store is on',
  cis: ['travis', 'gitlab', 'github'],
  check(context) {
    return [...commandHits(context), ...actionHits(context)];
  },
};
