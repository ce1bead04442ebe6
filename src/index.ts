/** The programmatic API: `generate(options)` returns the files to write. */
export { generate, generateFromConfig } from './generate';
export type { GenerateResult, GenerateSettings } from './generate';
export { resolveConfig } from './config';
export type { GenerateOptions, ResolvedConfig, SourceFile } from './config';
export { createPlan } from './plan';
export type { BuildJob, CiPlan, Plan, RunnerKind } from './plan';
export type { GeneratedFile } from './targets/types';
export { writeFiles } from './writer';
export { UsageError, CheckFailure } from './errors';
export { ARCHES } from './arch/table';
export type { ArchRecord } from './arch/types';
