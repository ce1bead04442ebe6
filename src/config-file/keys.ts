/**
 * The keys a config file accepts, read from the option tables: every
 * generator option, the render options below, and one section per CI whose
 * keys come from CI_SETTINGS.
 */
import { CI_NAMES, type CiName } from '../ci/platforms';
import {
  CI_SETTINGS,
  GENERATE_OPTIONS,
  type CiSettingSpec,
  type OptionSpec,
} from '../options';

/** Options that choose how files are rendered, not what they contain. */
export const RENDER_OPTIONS = {
  templates: {
    type: 'string',
    placeholder: 'DIR',
    description:
      'Folder of custom .hbs templates and partials/*.hbs; each replaces the built-in file with the same relative path',
  },
} as const satisfies Record<string, OptionSpec>;

/** Every option that both a flag and a top-level config key can set. */
export const CONFIG_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  ...GENERATE_OPTIONS,
  ...RENDER_OPTIONS,
};

/**
 * Options whose value is a path. Flags resolve them against the current
 * folder, config keys against the folder of the config file.
 */
export function isPathOption(spec: OptionSpec): boolean {
  return spec.placeholder === 'FILE' || spec.placeholder === 'DIR';
}

/** Returns the keys of CI_SETTINGS that the section of `ci` accepts. */
export function ciSettingsOf(ci: CiName): Record<string, CiSettingSpec> {
  const entries = Object.entries(CI_SETTINGS).filter(
    ([, spec]) => spec.cis === undefined || spec.cis.includes(ci),
  );
  return Object.fromEntries(entries);
}

export function topLevelKeys(): string[] {
  return [...Object.keys(CONFIG_OPTIONS), ...CI_NAMES];
}

/** Converts `emulator-image` to `emulatorImage`, as yargs does. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
