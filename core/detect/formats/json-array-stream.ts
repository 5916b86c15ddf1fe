import { ArrayScanner, type ArrayUnit } from './json-array-scanner.ts';

export type { ArrayUnit } from './json-array-scanner.ts';

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
  const scanner = new ArrayScanner(false);
  for await (const chunk of source) {
    const { units, broken } = scanner.push(chunk);
    if (units.length || broken) yield { elements: units as string[], broken };
  }
  if (scanner.collecting) yield { elements: [], broken: 1 };
}

/**
 * jsonArrayElements for the scan, which parses every element anyway: where the document is
 * written the way the clouds write it (compact, every record starting with the same first key),
 * an element is found by its successor's start (`},{"eventVersion":`) and parsed straight away.
 * The parse is the check: a piece cut at a look-alike inside a string or a nested object is not
 * valid JSON, and that element is scanned byte by byte like any other. Elements come parsed
 * (objects) or as text (scanned, malformed, non-ASCII chunks), in document order.
 */
export async function* jsonArrayUnits(
  source: AsyncIterable<Buffer>,
): AsyncGenerator<{ units: ArrayUnit[]; broken: number }> {
  const scanner = new ArrayScanner(true);
  for await (const chunk of source) {
    const out = scanner.push(chunk);
    if (out.units.length || out.broken) yield out;
  }
  if (scanner.collecting) yield { units: [], broken: 1 };
}
