/**
 * The JSON Schema of the config file, built from the same option tables as
 * the flags. `schemas/gen-ci-config.schema.json` is this function's output,
 * written by `npm run schema:update`; a test keeps the two equal.
 */
import { ARCHES } from '../arch/table';
import { CI_NAMES, CI_PLATFORMS, type CiName } from '../ci/platforms';
import {
  GENERATE_OPTIONS,
  type CiSettingSpec,
  type OptionSpec,
} from '../options';
import { ciSettingsOf, CONFIG_OPTIONS } from './keys';

export const CONFIG_SCHEMA_FILE = 'gen-ci-config.schema.json';

type Schema = Record<string, unknown>;

function withDefault(schema: Schema, spec: OptionSpec): Schema {
  return spec.default === undefined ? schema : { ...schema, default: spec.default };
}

/** Returns a string schema, limited to `choices` when given. */
function stringSchema(choices?: readonly string[]): Schema {
  return choices ? { type: 'string', enum: [...choices] } : { type: 'string' };
}

function optionSchema(spec: OptionSpec, description: string): Schema {
  if (spec.type === 'boolean') {
    return withDefault({ description, type: 'boolean' }, spec);
  }
  if (spec.type === 'string') {
    return withDefault({ description, ...stringSchema(spec.choices) }, spec);
  }
  // A list, or one comma-separated string as on the command line.
  return withDefault(
    {
      description,
      anyOf: [
        { type: 'array', items: stringSchema(spec.choices) },
        { type: 'string' },
      ],
    },
    spec,
  );
}

function archMapSchema(description: string): Schema {
  const properties = Object.fromEntries(
    ARCHES.map((arch) => [arch.name, { type: 'string' }]),
  );
  return {
    description,
    type: 'object',
    properties,
    additionalProperties: { type: 'string' },
  };
}

function settingSchema(spec: CiSettingSpec): Schema {
  if (spec.form === 'arch-map') {
    return archMapSchema(spec.description);
  }
  return optionSchema(GENERATE_OPTIONS[spec.option], spec.description);
}

function sectionSchema(ci: CiName): Schema {
  const settings = Object.entries(ciSettingsOf(ci));
  return {
    description: `Settings that apply to ${CI_PLATFORMS[ci].title} only`,
    type: ['object', 'null'],
    properties: Object.fromEntries(
      settings.map(([key, spec]) => [key, settingSchema(spec)]),
    ),
    additionalProperties: false,
  };
}

/** Returns the schema; the same tables always give the same object. */
export function configSchema(): Schema {
  const options = Object.entries(CONFIG_OPTIONS).map(([name, spec]) => [
    name,
    optionSchema(spec, spec.description),
  ]);
  const sections = CI_NAMES.map((ci) => [ci, sectionSchema(ci)]);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'gen-ci configuration',
    description:
      'gen-ci.yml, .gen-ci.yml or the "gen-ci" key of package.json. Each key is a gen-ci flag without the leading --; flags on the command line override the file.',
    type: 'object',
    properties: Object.fromEntries([...options, ...sections]),
    additionalProperties: false,
  };
}

/** Returns the schema file's text: two-space JSON, one final newline. */
export function configSchemaText(): string {
  return `${JSON.stringify(configSchema(), null, 2)}\n`;
}
