/**
 * fast-check arbitraries for hostile input: strings that YAML 1.1 or 1.2
 * read as something else, strings that a shell would expand or run, and
 * Unicode, plus option sets for `generate()` built from them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { GenerateOptions } from '../../src/config';

/**
 * A file that a value which escapes its quoting would create; tests
 * assert that it never exists.
 */
export const SENTINEL = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'gen-ci-sentinel-')),
  'escaped',
);

/** Plain scalars that YAML 1.1 or 1.2 read as booleans, nulls or numbers. */
const YAML_SPECIAL = [
  'y', 'Y', 'n', 'N', 'yes', 'No', 'YES', 'on', 'On', 'OFF', 'oFf',
  'true', 'False', 'TRUE', 'tRuE', 'null', 'Null', 'NULL', '~', 'nUlL',
  '1.20', '1.0', '1.10', '0.50', '1e3', '1E-2', '.inf', '-.Inf', '.NaN',
  '0755', '0o17', '0x1F', '0b101', '1_000', '+12', '-0',
  '1:30', '190:20:30.15', '-1:00', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '- a', '? x', ': y', '{a: 1}', '[b]', '&anchor', '*alias', '!tag', '!!str',
  '|', '>-', "'q", '"q', '%YAML', '@at', '`bt', '#c', ',c',
  'a: b', 'a #b', 'a:b', 'a#b', ' lead', 'trail ', '', '=', '<<', 'y: n',
  '---', '...', 'key:', '- ', 'a  b', '\\', '\\n',
];

/** Fragments that a shell would expand or run, aimed at SENTINEL. */
const SHELL_SPECIAL = [
  "'", '"', '\\', '$', '$$', '$1', '$?', '$@', '$*', '$#', '!', '*', '?',
  '~', '&', '|', ';', '<', '>', '(', ')', '{', '}', '[', ']', '#',
  `$(touch ${SENTINEL})`,
  `\`touch ${SENTINEL}\``,
  `; touch ${SENTINEL}`,
  `&& touch ${SENTINEL}`,
  `| touch ${SENTINEL}`,
  `> ${SENTINEL}`,
  `'; touch ${SENTINEL}; '`,
  `"; touch ${SENTINEL}; "`,
  `\\'; touch ${SENTINEL} #`,
  `'"'"'; touch ${SENTINEL}; '"'"'`,
  `\ntouch ${SENTINEL}`,
  '${HOME}',
  '$HOME',
  '${IFS}',
  '%s%n',
  '-e',
  '--build-arg',
];

/** Unicode, including characters that YAML and terminals treat specially. */
const UNICODE = [
  'é', 'ß', 'İ', 'ı', '中文', '🚀', '👩‍👩‍👧', '\u00a0', '\u2028', '\u2029',
  '\u0085', '\u202e', '\u2066', '\ufeff', '\u200b', '\u3000', '\ud800',
  '\t', '\r', '\u0000', '\u001b[31m',
];

export const yamlSpecial = fc.constantFrom(...YAML_SPECIAL);
export const shellSpecial = fc.constantFrom(...SHELL_SPECIAL);
export const unicodeSpecial = fc.constantFrom(...UNICODE);

/** A string assembled from hostile fragments and random text. */
export const hostileString = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: yamlSpecial },
      { weight: 3, arbitrary: shellSpecial },
      { weight: 1, arbitrary: unicodeSpecial },
      { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(''));

const ARCH_NAMES = [
  'amd64', '386', 'arm/v5', 'arm/v6', 'arm/v7', 'arm64', 'ppc64le', 's390x',
  'riscv64',
];

/** Architecture lists: mostly valid names and aliases, some hostile. */
export const archList = fc.oneof(
  { weight: 12, arbitrary: fc.subarray(ARCH_NAMES, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(['aarch64', 'x86_64'], ['ARM64'], ['armhf', 'ppc64el']) },
  { weight: 1, arbitrary: fc.array(hostileString, { minLength: 1, maxLength: 2 }) },
);

/** A build argument value: hostile fragments or a plain word. */
const buildArgValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom('1.2.3', 'https://example.com/a?b=c') },
);

/** Image repositories, valid and not. */
export const imageName = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(
    'example/app', 'ghcr.io/org/app', 'registry.gitlab.com/group/app',
    'localhost:5000/team/app', 'quay.io/o/a', 'docker.io/library/app',
    'on', 'yes/no', '1.20/x', 'a__b/c--d',
  ) },
  { weight: 1, arbitrary: hostileString },
);

/** Base images, including scratch and digest-pinned ones. */
export const baseImage = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(
    'alpine:3.22', 'debian:12', 'busybox:1.37.0', 'ubuntu:24.04',
    `alpine@sha256:${'a'.repeat(64)}`, 'ghcr.io/org/base:1', 'alpine',
  ) },
  { weight: 1, arbitrary: hostileString },
);

/** Branch names, valid and not. */
export const branchName = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom('main', 'release/1.0', 'on', 'yes', '1.20', 'OR', 'AND', 'v1.x'),
  },
  { weight: 1, arbitrary: hostileString },
);

const BUILD_ARG_KEYS = ['A', 'VERSION', 'B_2', '_X', 'on'];

/** Build arguments with unique keys and hostile values. */
export const buildArgs = fc
  .uniqueArray(
    fc.record({ key: fc.constantFrom(...BUILD_ARG_KEYS), value: buildArgValue }),
    { maxLength: 3, selector: (arg) => arg.key },
  )
  .map((args) => args.map((arg) => `${arg.key}=${arg.value}`));

const RUNNER_ARCHES = ['amd64', 'arm64', 'arm/v7', 'ppc64le', 's390x'];

/** `CI:ARCH=LABEL` values, mostly valid, with hostile labels. */
export const runnerOverrides = fc.uniqueArray(
  fc
    .record({
      ci: fc.constantFrom('gitlab', 'github'),
      arch: fc.constantFrom(...RUNNER_ARCHES),
      label: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom('big', 'arm-large', 'power9', 'on') },
        { weight: 1, arbitrary: hostileString },
      ),
    })
    .map((runner) => `${runner.ci}:${runner.arch}=${runner.label}`),
  { maxLength: 2, selector: (text) => text.split('=')[0] },
);

const CI_NAMES = ['travis', 'gitlab', 'github'];

/** Options for `generate()`; about half of them are valid. */
export const generateOptions: fc.Arbitrary<GenerateOptions> = fc.record(
  {
    arch: archList,
    ci: fc.subarray(CI_NAMES, { minLength: 1 }),
    image: imageName,
    base: baseImage,
    buildArgs,
    strategy: fc.constantFrom('auto', 'emulated', 'native'),
    emulatorImage: fc.oneof(
      {
        weight: 12,
        arbitrary: fc.constantFrom(
          'tonistiigi/binfmt:qemu-v8.1.5', 'tonistiigi/binfmt:qemu-v7.0.0-28',
          `tonistiigi/binfmt@sha256:${'b'.repeat(64)}`,
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom('tonistiigi/binfmt:latest', 'tonistiigi/binfmt') },
    ),
    branch: branchName,
    runner: runnerOverrides,
    dockerVersion: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('29.8', '28.5.1', '27') },
      { weight: 1, arbitrary: hostileString },
    ),
    workflowName: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('multiarch', 'images', 'on') },
      { weight: 1, arbitrary: hostileString },
    ),
    pinActions: fc.constantFrom('major', 'sha'),
  },
  { requiredKeys: ['arch', 'ci'] },
);
