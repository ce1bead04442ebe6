/**
 * The checks every generated file passes before it is written: pipelines
 * parse, read the same under YAML 1.1 and 1.2 and match gen-ci's own schema
 * for their CI; Dockerfiles parse.
 */
import type { CiName } from '../ci/platforms';
import type { ResolvedConfig } from '../config';
import { parseDockerfile } from '../dockerfile/derive';
import { isUserFacingError } from '../errors';
import { TARGETS } from '../targets';
import type { GeneratedFile } from '../targets/types';
import { checkBuiltinSchema } from './builtin-schemas';
import type { Finding } from './findings';
import { readYaml } from './yaml-checks';

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

export function checkGeneratedFile(
  config: ResolvedConfig,
  file: GeneratedFile,
): Finding[] {
  const ci = ciOfPath(config, file.path);
  if (!ci) {
    return checkDockerfile(file);
  }
  const parsed = readYaml(file.path, file.content, {
    yaml11: ci !== 'github',
    gitlabTags: ci === 'gitlab',
  });
  if (parsed.value === undefined) {
    return parsed.findings;
  }
  return [...parsed.findings, ...checkBuiltinSchema(ci, file.path, parsed)];
}
