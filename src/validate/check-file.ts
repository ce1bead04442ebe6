/**
 * The layers of `gen-ci validate` for one CI file: YAML, then schemas
 * (gen-ci's own for files it generated, the public one when present),
 * then lint rules. Nothing here reads files or prints; the caller passes
 * the text in and gets findings back.
 */
import type { CiName } from '../ci/platforms';
import { isGeneratedByGenCi } from '../writer';
import { checkBuiltinSchema, hasBuiltinSchema } from './builtin-schemas';
import type { Finding } from './findings';
import { runLint } from './lint/run';
import { checkUpstreamSchema } from './upstream-check';
import type { UpstreamSchemas } from './upstream/loader';
import { readYaml, type ParsedYaml, type YamlReadOptions } from './yaml-checks';

export interface CheckOptions {
  /** Public schemas; undefined to skip that layer. */
  readonly upstream?: UpstreamSchemas;
  /**
   * `generated`: use gen-ci's own schema only for files that carry its
   * header, because it rejects everything gen-ci does not write.
   */
  readonly builtin: 'always' | 'generated' | 'never';
  readonly lint: boolean;
  /** Reads a file of the same repository, such as a built Dockerfile. */
  readonly companion?: (relativePath: string) => string | undefined;
  /** Report every YAML 1.1 difference as an error, whatever the CI. */
  readonly strictYaml?: boolean;
}

export interface FileReport {
  readonly file: string;
  readonly ci: CiName;
  readonly findings: Finding[];
  /**
   * False when the YAML did not parse or its top level is not a mapping,
   * so no other layer ran.
   */
  readonly parsed: boolean;
  /** The schemas the file was checked against, for the summary. */
  readonly schemas: string[];
}

/** Returns the YAML reading options of each CI. */
export function yamlOptionsFor(ci: CiName, strict = false): YamlReadOptions {
  const reader = ci === 'travis' ? 'travis-yml' : 'psych';
  return {
    yaml11: ci !== 'github',
    yaml11Reader: strict ? 'strict' : reader,
    gitlabTags: ci === 'gitlab',
  };
}

export function checkCiText(
  file: string,
  text: string,
  ci: CiName,
  options: CheckOptions,
): FileReport {
  const parsed = readYaml(file, text, yamlOptionsFor(ci, options.strictYaml));
  const topLevel = notMapping(file, ci, parsed);
  if (topLevel) {
    parsed.findings.push(topLevel);
  }
  const ok = parsed.value !== undefined && topLevel === undefined;
  const report: FileReport = {
    file,
    ci,
    findings: [...parsed.findings],
    parsed: ok,
    schemas: [],
  };
  if (!ok) {
    return report;
  }
  checkSchemas(report, parsed, text, options);
  if (options.lint) {
    report.findings.push(
      ...runLint({ file, ci, parsed, companion: options.companion }),
    );
  }
  return report;
}

/** Top-level keys that each CI's file starts with, for the message. */
const TOP_LEVEL_KEYS: Record<CiName, string> = {
  travis: 'language: and jobs:',
  gitlab: 'stages: and job names',
  github: 'on: and jobs:',
};

/**
 * Reports a top level that no CI accepts: a scalar such as `hello`, a
 * sequence, or an empty file outside Travis CI. Returns undefined for a
 * mapping and for YAML that did not parse, which has its own finding.
 */
function notMapping(
  file: string,
  ci: CiName,
  parsed: ParsedYaml,
): Finding | undefined {
  const value = parsed.value;
  const isMapping =
    typeof value === 'object' && value !== null && !Array.isArray(value);
  // NOTE: an empty .travis.yml gets no finding, because whether Travis CI
  // rejects it or builds with its defaults was not checked.
  const emptyTravis = value === null && ci === 'travis';
  if (value === undefined || isMapping || emptyTravis) {
    return undefined;
  }
  const kind =
    value === null ? 'empty' : Array.isArray(value) ? 'a list' : 'a scalar';
  const offset = parsed.document?.contents?.range?.[0] ?? 0;
  const { line, col } = parsed.lineCounter.linePos(offset);
  return {
    file,
    line,
    column: col,
    severity: 'error',
    message: `the top level is ${kind}, not a mapping of keys, so it is not a ${ci} CI file; a ${ci} file starts with keys such as ${TOP_LEVEL_KEYS[ci]}`,
    rule: 'yaml-not-mapping',
  };
}

function checkSchemas(
  report: FileReport,
  parsed: ParsedYaml,
  text: string,
  options: CheckOptions,
): void {
  const { file, ci } = report;
  const builtin =
    options.builtin === 'always' ||
    (options.builtin === 'generated' && isGeneratedByGenCi(text));
  if (builtin && hasBuiltinSchema(ci)) {
    report.findings.push(...checkBuiltinSchema(ci, file, parsed));
    report.schemas.push(`built-in ${ci}`);
  }
  const upstream = options.upstream?.get(ci);
  if (upstream) {
    report.findings.push(...checkUpstreamSchema(upstream, file, parsed));
    report.schemas.push(`upstream ${upstream.schema.id} from ${upstream.file}`);
  }
}
