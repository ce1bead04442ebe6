/**
 * Quoting of one string as a YAML scalar that reads back as exactly that
 * string under both YAML 1.1 (Travis CI and GitLab CI parse 1.1) and
 * YAML 1.2. Plain style is used only where both versions agree, so values
 * such as `on`, `1.20`, `0755` or `1:30` come out quoted.
 */

/**
 * Plain scalars: a letter first, then words of characters that are never
 * YAML indicators, joined by single spaces (so no `: ` or ` #`).
 */
const PLAIN_CANDIDATE = /^[A-Za-z][A-Za-z0-9_./=+@%-]*( [A-Za-z0-9_./=+@%-]+)*$/;

/** YAML 1.1 booleans and nulls, in any letter case. */
const YAML11_SPECIAL = /^(y|yes|n|no|true|false|on|off|null)$/i;

/** Characters that only a double-quoted scalar can hold as escapes. */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

export function yamlScalar(value: string): string {
  if (PLAIN_CANDIDATE.test(value) && !YAML11_SPECIAL.test(value)) {
    return value;
  }
  if (NEEDS_ESCAPE.test(value)) {
    return doubleQuoted(value);
  }
  // Double quotes read better where they need no escapes, as in
  // `"github.event_name != 'pull_request'"`.
  if (value.includes("'") && !/["\\]/.test(value)) {
    return `"${value}"`;
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/** Quotes with YAML double-quote escapes; never folds lines. */
export function doubleQuoted(value: string): string {
  let out = '"';
  for (const char of value) {
    out += escapeChar(char);
  }
  return `${out}"`;
}

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\0': '\\0',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function escapeChar(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) {
    return named;
  }
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0xfeff) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return char;
}
