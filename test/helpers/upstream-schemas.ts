/** Validators for the public CI schemas, compiled with each schema's draft. */
import * as fs from 'node:fs';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { sharedPath } from './shared';

export type UpstreamSchema = 'travis' | 'github-workflow' | 'gitlab';

const FILES: Record<UpstreamSchema, string> = {
  travis: 'upstream/schemastore/schemas/json/travis.json',
  'github-workflow': 'upstream/schemastore/schemas/json/github-workflow.json',
  gitlab: 'upstream/gitlab/ci.json',
};

export function upstreamSchemaFile(name: UpstreamSchema): string {
  return FILES[name];
}

export function compileUpstream(name: UpstreamSchema) {
  const schema = JSON.parse(fs.readFileSync(sharedPath(FILES[name]), 'utf8'));
  const ajv =
    name === 'travis'
      ? new AjvDraft04({ strict: false, allErrors: true, logger: false })
      : new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv as Ajv);
  return ajv.compile(schema);
}
