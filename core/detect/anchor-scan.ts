/**
 * Does a text hold one of a few short ASCII anchors, ignoring ASCII case? One pass over the text:
 * the anchors are indexed by their first two characters (lower-cased), and only where a pair of
 * the text starts an anchor are the rest of its characters compared. The prompt patterns' prefilter
 * (patterns.ts) runs it on every prompt: it costs a fraction of the combined regular expression.
 */
export type AnchorScan = (text: string) => boolean;

/** ASCII lower-cased; 0 for anything beyond ASCII (no anchor holds it). */
const LOWER = Uint8Array.from({ length: 128 }, (_, c) => (c >= 65 && c <= 90 ? c + 32 : c));

export function anchorScan(anchors: readonly string[]): AnchorScan {
  const byPair = new Map<number, string[]>();
  for (const a of anchors) {
    if (
      a.length < 2 ||
      [...a].some((c) => c.charCodeAt(0) < 1 || c.charCodeAt(0) > 127) ||
      a !== a.toLowerCase()
    )
      throw new Error(`anchor ${JSON.stringify(a)}: two lower-case ASCII characters or more`);
    const pair = (a.charCodeAt(0) << 7) | a.charCodeAt(1);
    const list = byPair.get(pair);
    if (list) list.push(a);
    else byPair.set(pair, [a]);
  }
  const starts = new Uint8Array(128 * 128);
  const lists: string[][] = [[]];
  for (const [pair, list] of byPair) {
    starts[pair] = lists.length;
    lists.push(list);
  }
  return (text) => {
    const n = text.length - 1;
    let prev = n >= 0 ? text.charCodeAt(0) : 128;
    prev = prev < 128 ? (LOWER[prev] as number) : 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i + 1);
      const cur = c < 128 ? (LOWER[c] as number) : 0;
      const at = starts[(prev << 7) | cur] as number;
      prev = cur;
      if (at === 0) continue;
      for (const a of lists[at] as string[]) if (holdsAt(text, i, a)) return true;
    }
    return false;
  };
}

/** Does `text` hold `anchor` (lower-case ASCII) at `i`, ignoring ASCII case? */
function holdsAt(text: string, i: number, anchor: string): boolean {
  if (i + anchor.length > text.length) return false;
  for (let k = 2; k < anchor.length; k++) {
    const c = text.charCodeAt(i + k);
    if (c >= 128 || LOWER[c] !== anchor.charCodeAt(k)) return false;
  }
  return true;
}

/** The definition: some anchor is a substring of the text with its ASCII capitals lowered. */
export function anchorScanReference(anchors: readonly string[]): AnchorScan {
  return (text) => {
    const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
    return anchors.some((a) => lower.includes(a));
  };
}
