/**
 * "Did you mean" hints for unknown names (architectures, CI names, config
 * keys), based on edit distance.
 */

/**
 * Computes the optimal string alignment distance: the number of character
 * insertions, deletions, substitutions and swaps of two adjacent characters
 * that turn `a` into `b`. A swap counts as one edit because transposed
 * digits (`ppc46le`) are a common typo.
 */
export function editDistance(a: string, b: string): number {
  // rows[i][j] is the distance between the first i characters of a and the
  // first j characters of b.
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
  }
  for (let j = 1; j <= b.length; j++) {
    rows[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i][j] = cellDistance(a, b, rows, i, j);
    }
  }
  return rows[a.length][b.length];
}

function cellDistance(
  a: string,
  b: string,
  rows: number[][],
  i: number,
  j: number,
): number {
  const cost = a[i - 1] === b[j - 1] ? 0 : 1;
  let best = Math.min(
    rows[i - 1][j] + 1,
    rows[i][j - 1] + 1,
    rows[i - 1][j - 1] + cost,
  );
  const swapped =
    i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
  if (swapped) {
    best = Math.min(best, rows[i - 2][j - 2] + 1);
  }
  return best;
}

/**
 * Default limit for a suggestion: one edit per three characters of input,
 * and at least one, so that a short input does not match an unrelated name.
 */
export function defaultMaxDistance(input: string): number {
  return Math.max(1, Math.floor(input.length / 3));
}

/**
 * Returns the candidate nearest to `input` by edit distance, or undefined
 * when none is within `maxDistance` or `input` is itself a candidate.
 * Ties go to the candidate listed first, so the result is deterministic.
 * The comparison is case-sensitive, so callers normalise case first.
 */
export function suggestNearest(
  input: string,
  candidates: readonly string[],
  maxDistance: number = defaultMaxDistance(input),
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance === 0) {
      return undefined;
    }
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
