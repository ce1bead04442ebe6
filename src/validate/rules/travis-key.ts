import { suggestNearest } from '../../arch/suggest';
import { pointerOf } from '../locate';
import { includeEntries } from '../lint/jobs-travis';
import type { LintRule, RuleHit } from '../lint/types';
import type { YamlObject } from '../lint/values';

/** Keys that change where or how a job runs, checked for typos. */
const WATCHED = [
  'arch',
  'dist',
  'virt',
  'group',
  'os',
  'sudo',
  'language',
  'services',
  'addons',
  'env',
  'jobs',
  'matrix',
  'include',
  'stage',
  'stages',
  'name',
  'if',
  'install',
  'before_install',
  'before_script',
  'script',
  'after_success',
  'after_script',
  'deploy',
];

/**
 * Other keys Travis CI reads at the root or in a job (language versions
 * and settings among them), which are never reported as typos.
 */
const OTHER_KNOWN = [
  'osx_image',
  'global_env',
  'cache',
  'before_cache',
  'after_failure',
  'before_deploy',
  'after_deploy',
  'branches',
  'notifications',
  'import',
  'version',
  'git',
  'compiler',
  'allow_failures',
  'fast_finish',
  'exclude',
  'filter_secrets',
  'trace',
  'keep_netrc',
  'workspaces',
  'perl',
  'perl6',
  'python',
  'node_js',
  'ruby',
  'rvm',
  'jdk',
  'go',
  'php',
  'rust',
  'dart',
  'dart_task',
  'elixir',
  'otp_release',
  'erlang',
  'julia',
  'haxe',
  'hxml',
  'neko',
  'crystal',
  'd',
  'ghc',
  'lein',
  'scala',
  'sbt_args',
  'smalltalk',
  'r',
  'elm',
  'mono',
  'dotnet',
  'solution',
  'xcode_project',
  'xcode_workspace',
  'xcode_scheme',
  'xcode_sdk',
  'podfile',
  'gemfile',
  'bundler_args',
  'android',
  'matlab',
  'nix',
  'hhvm',
  'pandoc_version',
  'cran',
  'repos',
  'apt_packages',
  'brew_packages',
  'r_packages',
  'r_binary_packages',
  'r_github_packages',
  'bioc_packages',
  'bioc',
  'warnings_are_errors',
  'latex',
  'disable_homebrew',
  'go_import_path',
  'gobuild_args',
  'jdk_switcher',
  'virtualenv',
  'x',
  'mysql',
];

const KNOWN = new Set([...WATCHED, ...OTHER_KNOWN]);

function maxDistance(candidate: string): number {
  return candidate.length <= 4 ? 1 : 2;
}

function typoOf(key: string): string | undefined {
  if (KNOWN.has(key)) {
    return undefined;
  }
  const nearest = suggestNearest(key, WATCHED, 2);
  if (!nearest) {
    return undefined;
  }
  return suggestNearest(key, [nearest], maxDistance(nearest));
}

function checkKeys(entry: YamlObject, pointer: string): RuleHit[] {
  return Object.keys(entry).flatMap((key) => {
    const intended = typoOf(key);
    if (!intended) {
      return [];
    }
    return [
      {
        pointer: `${pointer}${pointerOf([key])}`,
        atKey: true,
        message: `unknown key ${JSON.stringify(key)} (did you mean ${intended}?); Travis CI ignores it`,
      },
    ];
  });
}

export const travisKeyRule: LintRule = {
  id: 'travis-key-misspelled',
  severity: 'error',
  reason:
    "SchemaStore's travis.json allows unknown keys, so virtt: lxd passes and Travis CI drops the setting",
  cis: ['travis'],
  check(context) {
    const entries = [
      { entry: context.root, pointer: '' },
      ...includeEntries(context.root),
    ];
    return entries.flatMap(({ entry, pointer }) => checkKeys(entry, pointer));
  },
};
