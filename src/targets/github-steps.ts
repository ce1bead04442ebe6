/**
 * Steps of the GitHub Actions workflow as data for the template. Values
 * from the config or the model reach a `run:` script only through `env:`,
 * never as `${{ }}` expressions, which GitHub pastes into the script
 * before the shell parses it.
 */
import type { ResolvedConfig } from '../config';
import { formatImageReference, registryHost } from '../image-ref';
import { sh, shellText } from '../render/shell';
import type { BuildJob } from '../plan';
import { actionReference, type ActionName } from './github-actions';
import { safeSlug } from './steps';

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** One step; empty strings and lists mean the key is left out. */
export interface StepView {
  readonly name: string;
  readonly id: string;
  readonly condition: string;
  readonly uses: string;
  /** Release of a SHA-pinned action, for a trailing comment. */
  readonly release: string;
  readonly with: readonly KeyValue[];
  readonly env: readonly KeyValue[];
  readonly run: string;
}

type StepFields = Partial<Omit<StepView, 'name' | 'with' | 'env'>> & {
  readonly name: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
};

function pairs(record: Record<string, string> = {}): KeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

export function step(fields: StepFields): StepView {
  return {
    name: fields.name,
    id: fields.id ?? '',
    condition: fields.condition ?? '',
    uses: fields.uses ?? '',
    release: fields.release ?? '',
    with: pairs(fields.with),
    env: pairs(fields.env),
    run: fields.run ?? '',
  };
}

/** Returns a step that runs an action, pinned as `--pin-actions` sets. */
export function actionStep(
  config: ResolvedConfig,
  action: ActionName,
  fields: Omit<StepFields, 'uses' | 'release'>,
): StepView {
  const reference = actionReference(action, config.pinActions);
  return step({ ...fields, ...reference });
}

export const expression = (text: string) => `\${{ ${text} }}`;

/**
 * True for the events that publish: pushes, which the workflow's `on:`
 * limits to the branch and tags. Pull requests, from forks or not, and
 * any other event never publish.
 */
export const PUBLISHING = "github.event_name == 'push'";

/** Registry of the default image, which GITHUB_TOKEN can push to. */
const GHCR = 'ghcr.io';

export function pushesToGhcr(config: ResolvedConfig): boolean {
  return config.image === undefined || registryHost(config.image) === GHCR;
}

/**
 * Names the default image `ghcr.io/<owner>/<repo>` in lower case, because
 * `github.repository` keeps the owner's capitals and registries reject
 * them. Later steps read it as `env.IMAGE`.
 */
export function imageNameStep(config: ResolvedConfig): StepView[] {
  if (config.image) {
    return [];
  }
  const format = `IMAGE=${GHCR}/%s\\n`;
  const run = sh`printf ${format} "\${REPOSITORY,,}" >> "$GITHUB_ENV"`;
  return [
    step({
      name: 'Name the image after the repository',
      env: { REPOSITORY: expression('github.repository') },
      run,
    }),
  ];
}

/** `IMAGE` in the workflow's `env:` when `--image` names it. */
export function workflowEnv(config: ResolvedConfig): KeyValue[] {
  return config.image
    ? [{ key: 'IMAGE', value: formatImageReference(config.image) }]
    : [];
}

/** Logs in for publishing events only, as forks' pull requests lack secrets. */
export function loginStep(config: ResolvedConfig): StepView {
  const host = config.image ? registryHost(config.image) : GHCR;
  const credentials = pushesToGhcr(config)
    ? {
        username: expression('github.actor'),
        password: expression('secrets.GITHUB_TOKEN'),
      }
    : {
        username: expression('secrets.DOCKER_USERNAME'),
        password: expression('secrets.DOCKER_PASSWORD'),
      };
  // login-action logs in to Docker Hub when `registry` is empty.
  const registry: Record<string, string> =
    host === 'docker.io' ? {} : { registry: host };
  return actionStep(config, 'login', {
    name: `Log in to ${host}`,
    condition: PUBLISHING,
    with: { ...registry, ...credentials },
  });
}

export function buildxStep(config: ResolvedConfig): StepView {
  return actionStep(config, 'setupBuildx', { name: 'Set up Docker Buildx' });
}

/** The folder of the digest files, one per architecture, named by slug. */
export const DIGEST_DIR = '$RUNNER_TEMP/digests';

/**
 * Creates the manifest list from the digests of every leg, tagged with the
 * tags that docker/metadata-action computed. Bash expands
 * `${tags[@]/#/--tag=}` to one `--tag=<tag>` word per tag.
 */
export function manifestRun(jobs: readonly BuildJob[]): string {
  const sources = jobs.map((job) =>
    shellText(`"$IMAGE@$(cat "${DIGEST_DIR}/${safeSlug(job)}")"`),
  );
  return sh`mapfile -t tags <<< "$TAGS" && docker buildx imagetools create "\${tags[@]/#/--tag=}" ${sources}`;
}
