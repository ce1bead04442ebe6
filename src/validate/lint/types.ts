/**
 * The lint layer's model of a CI file: its jobs, each with the shell
 * commands and actions it runs, and the contract of a lint rule.
 */
import type { CiName } from '../../ci/platforms';
import type { ParsedYaml } from '../yaml-checks';

/** One YAML string that contains shell code, with its JSON pointer. */
export interface ShellLine {
  readonly text: string;
  readonly pointer: string;
}

/** A GitHub Actions `uses:` step and its `with:` inputs. */
export interface ActionStep {
  readonly uses: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly pointer: string;
}

/** A variable's value as written, and where it was set. */
export interface Variable {
  readonly value: unknown;
  readonly pointer: string;
}

export interface CiJob {
  readonly name: string;
  /** JSON pointer of the job's definition. */
  readonly pointer: string;
  /** A GitLab template job (name starting with a dot), which never runs. */
  readonly hidden: boolean;
  /**
   * Architecture of the machine that runs the job, as an architecture
   * name (`amd64`, `arm64`). It is undefined when it depends on an
   * expression, a variable or a self-hosted runner's labels.
   */
  readonly runnerArch?: string;
  /** Shell code in the order the job runs it, including inherited code. */
  readonly commands: readonly ShellLine[];
  readonly actions: readonly ActionStep[];
  /** Effective variables (GitLab: global, inherited and the job's own). */
  readonly variables: Readonly<Record<string, Variable>>;
  /** Service images (GitLab `services`), with their pointers. */
  readonly services: readonly ShellLine[];
}

export interface LintContext {
  readonly file: string;
  readonly ci: CiName;
  readonly parsed: ParsedYaml;
  /** The document's top-level map; empty when it is not a map. */
  readonly root: Readonly<Record<string, unknown>>;
  readonly jobs: readonly CiJob[];
  /**
   * Returns the text of a file of the same repository, such as a
   * Dockerfile a job builds, by its path from the repository root.
   * Returns undefined when the file is not available.
   */
  readonly companion: (relativePath: string) => string | undefined;
}

/** One problem a rule found, before it gets a line and column. */
export interface RuleHit {
  readonly pointer: string;
  readonly message: string;
  /** A word inside the value at `pointer` to place the finding on. */
  readonly word?: string;
  /** Place the finding on the key of the entry at `pointer`. */
  readonly atKey?: boolean;
  /** Overrides the rule's severity for this hit. */
  readonly severity?: 'error' | 'warning';
}

export interface LintRule {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  /** The reason the rule exists, in one line. */
  readonly reason: string;
  readonly cis: readonly CiName[];
  check(context: LintContext): RuleHit[];
}
