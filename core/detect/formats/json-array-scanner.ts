import { isAscii } from 'node:buffer';

const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Largest single record accepted; a bigger one is counted as malformed instead of eating memory. */
const MAX_ELEMENT_BYTES = 32 * 1024 * 1024;
/** Look-alike successors a file may show before the scan stops guessing and only walks bytes. */
const MAX_MISSES = 64;

/** A JSON object element, as text or already parsed. */
export type ArrayUnit = string | Record<string, unknown>;

/**
 * The byte scanner behind json-array-stream.ts, as state kept between chunks: nesting, strings,
 * the element being collected, and (when speculating) what the next element's start looks like.
 */
export class ArrayScanner {
  depth = 0;
  /**
   * The depth elements open at: 2 in `{"Records":[{…}]}`, 1 in a bare array `[{…}]` (what
   * `jq .Records` and attack-simulation captures write), told by the document's first bracket.
   */
  elementDepth = 2;
  started = false;
  inString = false;
  escaped = false;
  parts: Buffer[] = [];
  size = 0;
  collecting = false;
  oversized = false;
  /** `},{"<first key>":` (with the document's own separator), learned from the first two elements. */
  marker: string | undefined;
  /** The first element's opening `{"<key>":`, while the marker is being learned. */
  firstKey: string | undefined;
  /** Where the last element ended in the current chunk (-1: not in this chunk). */
  lastEnd = -1;
  /** Where the marker is next found in the current chunk (-1: nowhere after `nextFrom`). */
  nextAt = -1;
  nextFrom = Number.POSITIVE_INFINITY;
  /** Speculation gives up when look-alikes keep failing it (the scan is exact either way). */
  misses = 0;
  readonly speculate: boolean;

  constructor(speculate: boolean) {
    this.speculate = speculate;
  }

  push(chunk: Buffer): { units: ArrayUnit[]; broken: number } {
    const units: ArrayUnit[] = [];
    let broken = 0;
    let start = this.collecting ? 0 : -1;
    const n = chunk.length;
    // The chunk as text, once speculation can use it: byte offsets are character offsets only in
    // ASCII text (null: not ASCII).
    let text: string | null | undefined;
    this.lastEnd = -1;
    this.nextFrom = Number.POSITIVE_INFINITY;
    let i = 0;
    if (this.escaped && n > 0) {
      // The previous chunk ended on a backslash inside a string: this first byte is escaped.
      this.escaped = false;
      i = 1;
    }
    while (i < n) {
      if (this.inString) {
        // Strings are most of a log's bytes: a tight loop to the next quote or backslash (cheaper
        // than Buffer#indexOf, whose call costs more than the short strings of a log record).
        let c = chunk[i] as number;
        while (c !== QUOTE && c !== BACKSLASH && ++i < n) c = chunk[i] as number;
        if (i >= n) break;
        if (c === BACKSLASH) {
          if (i + 1 >= n) this.escaped = true;
          i += 2;
          continue;
        }
        this.inString = false;
        i++;
        continue;
      }
      const c = chunk[i] as number;
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (!this.started) {
          this.started = true;
          if (c === OPEN_ARR) this.elementDepth = 1;
        }
        if (this.depth === this.elementDepth && c === OPEN_OBJ) {
          if (this.marker !== undefined && this.misses < MAX_MISSES) {
            if (text === undefined) text = isAscii(chunk) ? chunk.toString('latin1') : null;
            const end = text === null ? 0 : this.parsedUpTo(text, i, units);
            if (end > 0) {
              i = end;
              continue;
            }
          } else if (this.speculate && this.marker === undefined && this.firstKey && this.lastEnd >= 0)
            this.learnSeparator(chunk.toString('latin1', this.lastEnd, i));
          this.collecting = true;
          this.oversized = false;
          start = i;
          this.parts = [];
          this.size = 0;
        }
        this.depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        this.depth--;
        if (this.depth === this.elementDepth && this.collecting && c === CLOSE_OBJ) {
          this.collecting = false;
          const piece = chunk.subarray(start, i + 1);
          if (this.oversized || this.size + piece.length > MAX_ELEMENT_BYTES) broken++;
          else {
            const element = this.parts.length
              ? Buffer.concat([...this.parts, piece]).toString('utf8')
              : piece.toString('utf8');
            if (this.speculate && this.firstKey === undefined) this.learnKey(element);
            units.push(element);
            this.lastEnd = i + 1;
          }
          this.parts = [];
          this.size = 0;
          start = -1;
        }
      }
      i++;
    }
    if (this.collecting) {
      const piece = chunk.subarray(start === -1 ? 0 : start);
      if (this.size + piece.length > MAX_ELEMENT_BYTES) {
        this.oversized = true;
        this.parts = [];
      } else if (!this.oversized) {
        // Copy: the stream may reuse the chunk's memory once we yield.
        this.parts.push(Buffer.from(piece));
      }
      this.size += piece.length;
    }
    return { units, broken };
  }

  /**
   * The element starting at `at` found by the next element's start and parsed: the index after
   * it, or 0 when there is no such successor in this chunk or the piece is not that element.
   */
  parsedUpTo(text: string, at: number, units: ArrayUnit[]): number {
    // One search per element at most, and none once the chunk is known to hold no more markers.
    if (this.nextFrom > at || (this.nextAt !== -1 && this.nextAt <= at)) {
      this.nextFrom = at + 1;
      this.nextAt = text.indexOf(this.marker as string, at + 1);
    }
    const next = this.nextAt;
    if (next === -1 || next + 1 - at > MAX_ELEMENT_BYTES) return 0;
    try {
      units.push(JSON.parse(text.slice(at, next + 1)) as Record<string, unknown>);
      return next + 1;
    } catch {
      this.misses++;
      return 0;
    }
  }

  /** The first element's `{"key":`, when its first key is plain. */
  learnKey(element: string): void {
    this.firstKey = /^\{"[^"\\]*":/.exec(element)?.[0] ?? '';
  }

  /** What separates elements (`,`, `,\n`…), seen between the first two: the marker is complete. */
  learnSeparator(separator: string): void {
    if (/^\s*,\s*$/.test(separator)) this.marker = `}${separator}${this.firstKey}`;
    else this.firstKey = '';
  }
}
