/**
 * Turns ajv's raw errors into one problem per real mistake. With
 * `allErrors`, a value that fails a `oneOf` or `anyOf` gets one error per
 * alternative plus one for the combinator itself: SchemaStore's Travis
 * schema reports 13 errors for a single map-form `env` entry. ajv emits
 * the alternatives' errors right before the combinator's error, so each
 * combinator is reduced with the errors just before it:
 * - if an alternative failed deeper inside the value, the value matched
 *   that alternative's shape, and only the deeper errors are kept;
 * - else errors other than `type` are kept, because the value had the
 *   type of that alternative. `enum` and `const` errors whose allowed
 *   values have another type than the value are dropped, and the
 *   `required`, `enum` and `const` errors of several alternatives become
 *   one each;
 * - else one error lists every type that the alternatives accept.
 */
import type { ErrorObject } from 'ajv';

export interface SchemaProblem {
  /** JSON pointer of the offending value. */
  readonly instancePath: string;
  /** The ajv keyword that failed, such as `enum` or `additionalProperties`. */
  readonly keyword: string;
  readonly message: string;
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'if']);

/** Reduces the errors of validating `data`. */
export function reduceSchemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
): SchemaProblem[] {
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    if (!isReducible(error)) {
      kept.push(error);
      continue;
    }
    const branches = popBranchErrors(kept, error.instancePath);
    const reduced =
      branches.length > 0 ? reduceBranches(error, branches, data) : [error];
    kept.push(...reduced);
  }
  return dedupe(kept.map(toProblem));
}

/**
 * Tells whether `error` can be reduced. A `oneOf` that failed because
 * several alternatives passed cannot: it has no failing alternatives.
 */
function isReducible(error: ErrorObject): boolean {
  if (!COMBINATORS.has(error.keyword)) {
    return false;
  }
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  return passing === undefined || passing === null;
}

function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Removes and returns the trailing errors about `root` or its children. */
function popBranchErrors(kept: ErrorObject[], root: string): ErrorObject[] {
  let start = kept.length;
  while (start > 0 && isInside(kept[start - 1].instancePath, root)) {
    start -= 1;
  }
  return kept.splice(start);
}

function reduceBranches(
  combinator: ErrorObject,
  branches: ErrorObject[],
  data: unknown,
): ErrorObject[] {
  if (combinator.keyword === 'if') {
    // The `then` or `else` errors all apply; the `if` error adds nothing.
    return branches;
  }
  const root = combinator.instancePath;
  const deeper = branches.filter((error) => error.instancePath !== root);
  if (deeper.length > 0) {
    return deeper;
  }
  const value = valueAt(data, root);
  const specific = branches.filter(
    (error) => error.keyword !== 'type' && allowsTypeOf(error, value),
  );
  if (specific.length > 0) {
    return mergeAlternatives(specific);
  }
  return [mergeTypeErrors(combinator, branches)];
}

/** Returns the value at a JSON pointer of `data`. */
function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const key of pointer.split('/').slice(1)) {
    const name = key.replace(/~1/g, '/').replace(/~0/g, '~');
    value = (value as Record<string, unknown> | undefined)?.[name];
  }
  return value;
}

function jsonType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}

/** False for an `enum` or `const` whose values all differ in type. */
function allowsTypeOf(error: ErrorObject, value: unknown): boolean {
  const params = error.params as {
    allowedValues?: unknown[];
    allowedValue?: unknown;
  };
  let allowed: unknown[] | undefined;
  if (error.keyword === 'enum') {
    allowed = params.allowedValues;
  } else if (error.keyword === 'const') {
    allowed = [params.allowedValue];
  }
  const type = jsonType(value);
  return (
    allowed === undefined || allowed.some((item) => jsonType(item) === type)
  );
}

/**
 * Alternatives that each miss a property, or each allow other values,
 * become one error.
 */
function mergeAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const required = errors.filter((error) => error.keyword === 'required');
  const values = errors.filter(
    (error) => error.keyword === 'const' || error.keyword === 'enum',
  );
  const rest = errors.filter(
    (error) => !required.includes(error) && !values.includes(error),
  );
  return [...rest, ...mergeRequired(required), ...mergeAllowedValues(values)];
}

function mergeRequired(errors: ErrorObject[]): ErrorObject[] {
  if (errors.length < 2) {
    return errors;
  }
  const names = errors.map(
    (error) =>
      `'${String((error.params as { missingProperty?: unknown }).missingProperty)}'`,
  );
  return [
    {
      ...errors[0],
      params: {},
      message: `must have one of the properties ${names.join(', ')}`,
    },
  ];
}

function mergeAllowedValues(errors: ErrorObject[]): ErrorObject[] {
  if (errors.length < 2) {
    return errors;
  }
  const allowed = errors.flatMap((error) => {
    const params = error.params as {
      allowedValues?: unknown[];
      allowedValue?: unknown;
    };
    return error.keyword === 'enum'
      ? (params.allowedValues ?? [])
      : [params.allowedValue];
  });
  return [
    {
      ...errors[0],
      keyword: 'enum',
      params: { allowedValues: [...new Set(allowed)] },
      message: 'must be equal to one of the allowed values',
    },
  ];
}

function mergeTypeErrors(
  combinator: ErrorObject,
  branches: ErrorObject[],
): ErrorObject {
  const types = new Set<string>();
  for (const error of branches) {
    const type = (error.params as { type?: string | string[] }).type;
    for (const name of Array.isArray(type) ? type : [type ?? '']) {
      types.add(name);
    }
  }
  const list = [...types].filter(Boolean).join(' or ');
  return {
    ...combinator,
    keyword: 'type',
    params: { type: [...types] },
    message: `must be ${list}`,
  };
}

function toProblem(error: ErrorObject): SchemaProblem {
  const message = `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${describeParams(error.params)}`;
  return {
    instancePath: error.instancePath,
    keyword: error.keyword,
    // Patterns may contain line breaks; a finding is one line.
    message: message.replace(/\r/g, '\\r').replace(/\n/g, '\\n'),
  };
}

function describeParams(params: Record<string, unknown>): string {
  if ('additionalProperty' in params) {
    return ` (${String(params.additionalProperty)})`;
  }
  if ('allowedValues' in params) {
    return ` (${(params.allowedValues as unknown[]).join(', ')})`;
  }
  if ('allowedValue' in params) {
    return ` (${JSON.stringify(params.allowedValue)})`;
  }
  return '';
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.instancePath}\u0000${problem.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
