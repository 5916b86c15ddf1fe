/**
 * The candidate a mistyped word most likely meant: the closest by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours), if it is close enough to be a typo — at most one
 * edit in four characters, or the word is the start of it (`prefix` → `prefixes`) — and not tied
 * with another.
 *
 * @example
 * didYouMean('minSeverty', ['mode', 'minSeverity', 'limits']); // 'minSeverity'
 * didYouMean('colour', ['mode', 'limits']); // undefined
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 4));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tied = false;
  for (const candidate of candidates) {
    const [w, c] = [word.toLowerCase(), candidate.toLowerCase()];
    const d = w.length >= 4 && c.startsWith(w) && c !== w ? 1 : editDistance(w, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance && candidate !== best) tied = true;
  }
  return best !== undefined && bestDistance <= limit && !tied ? best : undefined;
}

/** Optimal string alignment distance (Levenshtein plus transpositions of adjacent characters). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, at(i - 2, j - 2) + 1);
      row[j] = d;
    }
  }
  return at(a.length, b.length);
}
