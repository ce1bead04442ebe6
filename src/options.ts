/**
 * The generator's options, declared once. The command line builds its flags
 * from this table, and the config file and its JSON Schema read the same
 * names, so help text, validation and documentation cannot drift apart.
 */
import { CI_NAMES, type CiName } from './ci/platforms';

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

/**
 * Docker release of GitLab's `docker:<version>-cli` and `-dind` images.
 * 29.8 is the newest minor release in the tag list of the official
 * `docker` image (docker-library/docs, docker/README.md) as read in
 * 2026-12, and its images include linux/amd64 and linux/arm64.
 */
export const DEFAULT_DOCKER_VERSION = '29.8';

/** `major`: `uses: owner/action@v4`; `sha`: a full commit SHA. */
export const PIN_MODES = ['major', 'sha'] as const;
export type PinMode = (typeof PIN_MODES)[number];

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
      'Base image of the generated starter Dockerfiles and of the emulator check; with --dockerfile, the FROM lines name the images',
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
    description:
      "Build argument passed to every build (repeatable), except BuildKit's platform arguments such as TARGETARCH, which each build sets itself",
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
  runner: {
    type: 'array',
    placeholder: 'CI:ARCH=LABEL',
    description:
      'Runner label (GitHub) or tag (GitLab) for the jobs of one architecture in --arch, such as gitlab:arm64=my-arm-runner; amd64 also sets the runner of emulated jobs and of the manifest job (repeatable)',
  },
  'docker-version': {
    type: 'string',
    placeholder: 'VERSION',
    default: DEFAULT_DOCKER_VERSION,
    description:
      'Docker release of the docker:VERSION-cli and docker:VERSION-dind images of GitLab CI jobs',
  },
  'workflow-name': {
    type: 'string',
    placeholder: 'NAME',
    default: 'multiarch',
    description:
      'GitHub Actions workflow file name without .yml, written to .github/workflows/NAME.yml',
  },
  'pin-actions': {
    type: 'string',
    choices: [...PIN_MODES],
    default: 'major',
    description:
      'How GitHub Actions steps pin each action: major (actions/checkout@v7) or sha (a full commit SHA)',
  },
} as const satisfies Record<string, OptionSpec>;

export type GenerateOptionName = keyof typeof GENERATE_OPTIONS;

/**
 * A key of a per-CI section of the config file (`github:`, `gitlab:`,
 * `travis:`). Each sets a generator option, so a section is another way to
 * write flags and maps onto the same resolved config.
 */
export interface CiSettingSpec {
  /** The generator option that this key sets. */
  readonly option: GenerateOptionName;
  /**
   * `value`: the key's value is the option's value, as the flag takes it.
   * `arch-map`: a map from architecture to runner label, added to the
   * option as `CI:ARCH=LABEL` entries.
   */
  readonly form: 'value' | 'arch-map';
  /** The CIs whose section accepts the key; absent means every CI. */
  readonly cis?: readonly CiName[];
  readonly description: string;
}

export const CI_SETTINGS: Readonly<Record<string, CiSettingSpec>> = {
  runners: {
    option: 'runner',
    form: 'arch-map',
    cis: ['gitlab', 'github'],
    description:
      'Runner label (GitHub) or runner tag (GitLab) per architecture in arch, such as arm64: my-arm-runner; amd64 also sets the runner of emulated jobs and of the manifest job',
  },
  'workflow-name': {
    option: 'workflow-name',
    form: 'value',
    cis: ['github'],
    description: GENERATE_OPTIONS['workflow-name'].description,
  },
  'pin-actions': {
    option: 'pin-actions',
    form: 'value',
    cis: ['github'],
    description: GENERATE_OPTIONS['pin-actions'].description,
  },
  'docker-version': {
    option: 'docker-version',
    form: 'value',
    cis: ['gitlab'],
    description: GENERATE_OPTIONS['docker-version'].description,
  },
};
