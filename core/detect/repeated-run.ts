/**
 * A run of the same word 25 times or more ("poem poem poem …"), the other divergence attack.
 * Words are what `text.toLowerCase().split(/[\s,]+/)` yields; a word counts toward a run when it
 * has two characters or more and equals the one before it.
 *
 * ASCII text (almost every prompt) is walked in place: words are compared where they stand, with
 * no lower-cased copy and no array of words. Anything else goes through the split itself, because
 * lower-casing beyond ASCII depends on context (final sigma) and may change lengths.
 */
export function repeatedRun(text: string, times = 25): boolean {
  if (text.length < times * 3) return false;
  const n = text.length;
  let prevStart = 0;
  let prevLength = -1;
  let run = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c > 127) return splitRun(text, times);
    if (c === 32 || c === 44 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    const start = i;
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d > 127) return splitRun(text, times);
      if (d === 32 || d === 44 || (d >= 9 && d <= 13)) break;
    }
    const length = i - start;
    if (length >= 2 && length === prevLength && sameAsciiWord(text, prevStart, start, length)) {
      if (++run >= times) return true;
    } else {
      prevStart = start;
      prevLength = length;
      run = 1;
    }
  }
  return false;
}

/** Are the two ASCII words equal, ignoring case? */
function sameAsciiWord(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) {
    let x = text.charCodeAt(a + k);
    let y = text.charCodeAt(b + k);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/** The definition itself, for text beyond ASCII. */
function splitRun(text: string, times: number): boolean {
  let prev = '';
  let run = 0;
  for (const word of text.toLowerCase().split(/[\s,]+/)) {
    if (word.length >= 2 && word === prev) {
      if (++run >= times) return true;
    } else {
      prev = word;
      run = 1;
    }
  }
  return false;
}
