/**
 * The checks every generated file passes before it is written: pipelines
 * parse, read the same under YAML 1.1 and 1.2, match gen-ci's own schema
 * for their CI and pass the lint rules; Dockerfiles parse.
 */
import type { CiName } from '../ci/platforms';
import type { ResolvedConfig } from '../config';
import { parseDockerfile } from '../dockerfile/derive';
import { isUserFacingError } from '../errors';
import { TARGETS } from '../targets';
import type { GeneratedFile } from '../targets/types';
import { checkCiText } from './check-file';
import type { Finding } from './findings';

function ciOfPath(config: ResolvedConfig, file: string): CiName | undefined {
  return config.cis.find(
    (ci) => TARGETS[ci]?.pipelinePath(config) === file,
  );
}

function checkDockerfile(file: GeneratedFile): Finding[] {
  try {
    parseDockerfile(file.content, file.path);
    return [];
  } catch (error) {
    if (!isUserFacingError(error)) {
      throw error;
    }
    return [
      {
        file: file.path,
        line: 1,
        column: 1,
        severity: 'error',
        message: error.message,
        rule: 'dockerfile-syntax',
      },
    ];
  }
}

/**
 * Runs the checks of `gen-ci validate` with gen-ci's own schema and the
 * lint rules. `siblings` are the other files of the same run, so rules
 * can read the Dockerfiles a pipeline builds.
 */
export function checkGeneratedFile(
  config: ResolvedConfig,
  file: GeneratedFile,
  siblings: readonly GeneratedFile[] = [],
): Finding[] {
  const ci = ciOfPath(config, file.path);
  if (!ci) {
    return checkDockerfile(file);
  }
  const companion = (relativePath: string) =>
    siblings.find((sibling) => sibling.path === relativePath)?.content;
  return checkCiText(file.path, file.content, ci, {
    builtin: 'always',
    lint: true,
    companion,
    strictYaml: true,
  }).findings;
}
