import type { CiName } from '../ci/platforms';
import type { ResolvedConfig } from '../config';
import type { CiPlan } from '../plan';
import type { TemplateSet } from '../render/templates';

/** One generated file: a path relative to the output folder and its text. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export interface RenderContext {
  readonly config: ResolvedConfig;
  readonly templates: TemplateSet;
  /** Comment lines for the file header, without the comment marker. */
  readonly header: readonly string[];
}

/** A CI system that gen-ci writes a pipeline for. */
export interface Target {
  readonly ci: CiName;
  /**
   * Path of the pipeline file relative to the output folder; without a
   * config, the default path (used to detect existing pipelines).
   */
  pipelinePath(config?: ResolvedConfig): string;
  render(plan: CiPlan, context: RenderContext): GeneratedFile;
}
