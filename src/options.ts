/**
 * The generator's options, declared once. The command line builds its flags
 * from this table, and the config file and its JSON Schema read the same
 * names, so help text, validation and documentation cannot drift apart.
 */
import { CI_NAMES } from './ci/platforms';

export const STRATEGIES = ['auto', 'emulated', 'native', 'legacy'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface OptionSpec {
  readonly type: 'string' | 'boolean' | 'array';
  readonly description: string;
  readonly choices?: readonly string[];
  readonly default?: string | boolean;
  /** Placeholder shown in help, such as LIST or DIR. */
  readonly placeholder?: string;
}

/** Emulator images are pinned to fixed tags; `latest` is never used. */
export const DEFAULT_EMULATOR_IMAGE = 'tonistiigi/binfmt:qemu-v8.1.5';
/** multiarch/qemu-user-static registers without the F flag unless `-p yes`. */
export const DEFAULT_LEGACY_EMULATOR_VERSION = '7.2.0-1';

export const GENERATE_OPTIONS = {
  arch: {
    type: 'array',
    placeholder: 'LIST',
    description:
      'Architectures to build, comma-separated or repeated (ppc64le,s390x,arm/v7)',
  },
  ci: {
    type: 'array',
    placeholder: 'LIST',
    choices: CI_NAMES,
    description:
      'CI systems to generate for; default: those whose files exist in --out, else travis',
  },
  image: {
    type: 'string',
    placeholder: 'NAME',
    description:
      'Image repository to push, without a tag (example/app, ghcr.io/org/app); default: a per-CI repository variable',
  },
  base: {
    type: 'string',
    placeholder: 'IMAGE',
    description:
      'Base image of the generated starter Dockerfiles (ignored with --dockerfile)',
  },
  dockerfile: {
    type: 'string',
    placeholder: 'FILE',
    description:
      'Dockerfile to derive the per-architecture files from; default: Dockerfile in --out when it exists',
  },
  'build-arg': {
    type: 'array',
    placeholder: 'KEY=VALUE',
    description: 'Build argument passed to every build (repeatable)',
  },
  strategy: {
    type: 'string',
    choices: [...STRATEGIES],
    default: 'auto',
    description:
      'auto: native runners where the CI offers them to everyone; emulated: QEMU on amd64; native: native runners where they exist; legacy: copy QEMU into images for kernels without the binfmt F flag',
  },
  'emulator-image': {
    type: 'string',
    placeholder: 'IMAGE',
    default: DEFAULT_EMULATOR_IMAGE,
    description: 'Pinned tonistiigi/binfmt image that registers QEMU',
  },
  branch: {
    type: 'string',
    placeholder: 'NAME',
    default: 'main',
    description: 'Branch whose pushes publish images (tags always publish)',
  },
} as const satisfies Record<string, OptionSpec>;

export type GenerateOptionName = keyof typeof GENERATE_OPTIONS;
