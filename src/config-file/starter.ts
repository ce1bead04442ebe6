/**
 * The commented starter config that `gen-ci init` writes. It is built from
 * the option tables, so every option appears with its description, and
 * its first line points the YAML language server at the config schema.
 */
import { stringify } from 'yaml';
import { CI_NAMES, CI_PLATFORMS, type CiName } from '../ci/platforms';
import { GENERATE_OPTIONS, type CiSettingSpec, type OptionSpec } from '../options';
import { ciSettingsOf, CONFIG_OPTIONS } from './keys';
import type { ConfigValue } from './parse';
import { CONFIG_SCHEMA_FILE } from './schema';

/** Schema path, relative to the repository root, of an installed gen-ci. */
export const SCHEMA_PATH = `node_modules/gen-ci/schemas/${CONFIG_SCHEMA_FILE}`;

/** Architectures of the starter file when `--arch` is not given. */
export const STARTER_ARCHES = ['amd64', 'arm64'];

const WIDTH = 78;

/** `# `-prefixed lines of at most WIDTH columns, indented by `indent`. */
export function commentLines(text: string, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(`${indent}# ${line}`);
  return lines;
}

/** `key: value` as YAML lines, quoted where YAML needs it. */
function yamlLines(key: string, value: unknown, indent = ''): string[] {
  return stringify({ [key]: value })
    .trimEnd()
    .split('\n')
    .map((line) => `${indent}${line}`);
}

function commentedOut(lines: readonly string[], indent = ''): string[] {
  return lines.map((line) => `${indent}# ${line.slice(indent.length)}`);
}

/** Returns an example value for an option without a default. */
function exampleValue(spec: OptionSpec): unknown {
  const example = spec.choices?.[0] ?? spec.placeholder ?? 'VALUE';
  return spec.type === 'array' ? [example] : example;
}

function optionBlock(
  name: string,
  spec: OptionSpec,
  value: ConfigValue | undefined,
): string[] {
  const description = commentLines(spec.description);
  if (value !== undefined) {
    return [...description, ...yamlLines(name, value)];
  }
  const example = spec.default ?? exampleValue(spec);
  return [...description, ...commentedOut(yamlLines(name, example))];
}

function settingExample(spec: CiSettingSpec): unknown {
  if (spec.form === 'arch-map') {
    return { arm64: 'LABEL' };
  }
  const option: OptionSpec = GENERATE_OPTIONS[spec.option];
  return option.default ?? exampleValue(option);
}

function sectionBlock(ci: CiName): string[] {
  const settings = Object.entries(ciSettingsOf(ci));
  if (settings.length === 0) {
    return [];
  }
  const lines = [`# Settings for ${CI_PLATFORMS[ci].title} only:`, `# ${ci}:`];
  for (const [key, spec] of settings) {
    lines.push(...commentLines(spec.description, '#   '));
    lines.push(...commentedOut(yamlLines(key, settingExample(spec), '  ')));
  }
  return lines;
}

/**
 * Returns the starter file. `values` become active keys; every other
 * option is listed commented out, with its default where it has one.
 */
export function starterConfig(values: Readonly<Record<string, ConfigValue>>) {
  const blocks: string[][] = [
    [
      `# yaml-language-server: $schema=${SCHEMA_PATH}`,
      ...commentLines(
        'gen-ci configuration. Each key is a gen-ci flag without the leading --, and flags on the command line override it. Run gen-ci to write the pipelines, and gen-ci --check in CI to prove that they are current.',
      ),
    ],
  ];
  for (const [name, spec] of Object.entries(CONFIG_OPTIONS)) {
    const value = name === 'arch' ? (values.arch ?? STARTER_ARCHES) : values[name];
    blocks.push(optionBlock(name, spec, value));
  }
  for (const ci of CI_NAMES) {
    blocks.push(sectionBlock(ci));
  }
  return `${blocks
    .filter((block) => block.length > 0)
    .map((block) => block.join('\n'))
    .join('\n\n')}\n`;
}
