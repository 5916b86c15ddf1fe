const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Largest single record accepted; a bigger one is counted as malformed instead of eating memory. */
const MAX_ELEMENT_BYTES = 32 * 1024 * 1024;

export interface ArrayElements {
  /** The text of each complete object element, per input chunk. */
  elements: string[];
  /** Elements given up on (oversized, or cut off by the end of the document). */
  broken: number;
}

/**
 * Streams the objects of the array inside a single-document log file, `{"Records":[{…},{…}]}`
 * (CloudTrail) or `{"records":[…]}` (Azure flow logs), without parsing or holding the whole file:
 * a byte scanner tracks strings and nesting and cuts out each object at depth 2, which is then
 * `JSON.parse`d on its own by the format. Memory is one record plus one chunk.
 */
export async function* jsonArrayElements(source: AsyncIterable<Buffer>): AsyncGenerator<ArrayElements> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let size = 0;
  let collecting = false;
  let oversized = false;
  for await (const chunk of source) {
    const elements: string[] = [];
    let broken = 0;
    let start = collecting ? 0 : -1;
    const n = chunk.length;
    let i = 0;
    if (escaped && n > 0) {
      // The previous chunk ended on a backslash inside a string: this first byte is escaped.
      escaped = false;
      i = 1;
    }
    while (i < n) {
      if (inString) {
        // Strings are most of a log's bytes: a tight loop to the next quote or backslash (cheaper
        // than Buffer#indexOf, whose call costs more than the short strings of a log record).
        let c = chunk[i] as number;
        while (c !== QUOTE && c !== BACKSLASH && ++i < n) c = chunk[i] as number;
        if (i >= n) break;
        if (c === BACKSLASH) {
          if (i + 1 >= n) escaped = true;
          i += 2;
          continue;
        }
        inString = false;
        i++;
        continue;
      }
      const c = chunk[i] as number;
      if (c === QUOTE) inString = true;
      else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (depth === 2 && c === OPEN_OBJ) {
          collecting = true;
          oversized = false;
          start = i;
          parts = [];
          size = 0;
        }
        depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth--;
        if (depth === 2 && collecting && c === CLOSE_OBJ) {
          collecting = false;
          const piece = chunk.subarray(start, i + 1);
          if (oversized || size + piece.length > MAX_ELEMENT_BYTES) broken++;
          else
            elements.push(
              parts.length ? Buffer.concat([...parts, piece]).toString('utf8') : piece.toString('utf8'),
            );
          parts = [];
          size = 0;
          start = -1;
        }
      }
      i++;
    }
    if (collecting) {
      const piece = chunk.subarray(start === -1 ? 0 : start);
      if (size + piece.length > MAX_ELEMENT_BYTES) {
        oversized = true;
        parts = [];
      } else if (!oversized) {
        // Copy: the stream may reuse the chunk's memory once we yield.
        parts.push(Buffer.from(piece));
      }
      size += piece.length;
    }
    if (elements.length || broken) yield { elements, broken };
  }
  if (collecting) yield { elements: [], broken: 1 };
}
