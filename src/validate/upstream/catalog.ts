/**
 * The public CI schemas that `gen-ci validate` uses when they are present,
 * and their canonical addresses. gen-ci never ships them: users pass
 * `--schema-dir` or fill the cache with `gen-ci schemas update`.
 * SchemaStore's catalog entry for `.gitlab-ci.yml` points to GitLab's own
 * schema, so that is the one used for GitLab.
 */
import type { CiName } from '../../ci/platforms';

export type UpstreamSchemaId = 'travis' | 'github-workflow' | 'gitlab-ci';

export interface UpstreamSchema {
  readonly id: UpstreamSchemaId;
  readonly ci: CiName;
  /** File name in the cache, and below `--base-url` when downloading. */
  readonly cacheName: string;
  /** File names looked up in a `--schema-dir` folder, in order. */
  readonly dirNames: readonly string[];
  readonly url: string;
}

const SCHEMASTORE =
  'https://raw.githubusercontent.com/SchemaStore/schemastore/master/src/schemas/json';

export const UPSTREAM_SCHEMAS: readonly UpstreamSchema[] = [
  {
    id: 'travis',
    ci: 'travis',
    cacheName: 'travis.json',
    dirNames: ['travis.json'],
    url: `${SCHEMASTORE}/travis.json`,
  },
  {
    id: 'github-workflow',
    ci: 'github',
    cacheName: 'github-workflow.json',
    dirNames: ['github-workflow.json'],
    url: `${SCHEMASTORE}/github-workflow.json`,
  },
  {
    id: 'gitlab-ci',
    ci: 'gitlab',
    cacheName: 'gitlab-ci.json',
    // GitLab names the file ci.json in its repository.
    dirNames: ['gitlab-ci.json', 'ci.json'],
    url: 'https://gitlab.com/gitlab-org/gitlab-foss/-/raw/master/app/assets/javascripts/editor/schema/ci.json',
  },
];

export function upstreamSchemaFor(ci: CiName): UpstreamSchema {
  const schema = UPSTREAM_SCHEMAS.find((entry) => entry.ci === ci);
  if (!schema) {
    throw new Error(`no upstream schema is listed for ${ci}`);
  }
  return schema;
}

/** Where `gen-ci schemas update` downloads `schema` from. */
export function downloadUrl(schema: UpstreamSchema, baseUrl?: string): string {
  if (baseUrl === undefined) {
    return schema.url;
  }
  return `${baseUrl.replace(/\/+$/, '')}/${schema.cacheName}`;
}
