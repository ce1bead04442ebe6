import { DEFAULT_EMULATOR_IMAGE } from '../../options';
import {
  actionName,
  commandsOf,
  emulatorRun,
  isPinned,
  parseEmulatorImage,
  uniqueLines,
} from '../lint/docker';
import type { ActionStep, LintContext, LintRule, RuleHit } from '../lint/types';
import { asString } from '../lint/values';

const WHY =
  'so a new emulator release can break the pipeline without any change to it';

function commandHits(context: LintContext): RuleHit[] {
  return commandsOf(uniqueLines(context)).flatMap(({ command, line }) => {
    const run = emulatorRun(command);
    if (!run || isPinned(run)) {
      return [];
    }
    return [
      {
        pointer: line.pointer,
        word: run.word,
        message: `emulator image ${run.word} is not pinned, ${WHY}; pin a version tag or a digest, such as ${DEFAULT_EMULATOR_IMAGE}`,
      },
    ];
  });
}

/** docker/setup-qemu-action uses tonistiigi/binfmt:latest by default. */
function actionHit(step: ActionStep): RuleHit | undefined {
  if (actionName(step.uses) !== 'docker/setup-qemu-action') {
    return undefined;
  }
  const image = asString(step.inputs.image);
  if (image === undefined) {
    return {
      pointer: `${step.pointer}/uses`,
      message: `docker/setup-qemu-action without an image input runs tonistiigi/binfmt:latest, ${WHY}; set image: ${DEFAULT_EMULATOR_IMAGE}`,
    };
  }
  const parsed = parseEmulatorImage(image.replace(/^docker\.io\//, ''));
  if (image.includes('${{') || !parsed || isPinned(parsed)) {
    return undefined;
  }
  return {
    pointer: `${step.pointer}/with/image`,
    message: `emulator image ${image} is not pinned, ${WHY}; pin a version tag or a digest`,
  };
}

export const qemuImagePinnedRule: LintRule = {
  id: 'qemu-image-unpinned',
  severity: 'warning',
  reason:
    'QEMU 9 in tonistiigi/binfmt:latest crashed builds on ubuntu-24.04 runners that had not changed',
  cis: ['travis', 'gitlab', 'github'],
  check(context) {
    const actions = context.jobs.flatMap((job) => job.actions);
    const actionHits = actions
      .map(actionHit)
      .filter((hit): hit is RuleHit => hit !== undefined);
    return [...commandHits(context), ...actionHits];
  },
};
