/**
 * Reads a line of fields separated by one character in place: where each field starts and ends,
 * as `line.split(separator)` would cut them (two separators make an empty field), without cutting
 * any out. The parser then compares, reads numbers and cuts out only the texts it keeps: a log
 * line is read for a handful of its fields, millions of times. Fields are addressed by position;
 * -1 (a field the layout lacks) and positions past the line's end are absent.
 *
 * @example
 * const f = new FieldReader(14, ' ');
 * f.read('2 111122223333 eni-0a 10.0.0.1 …'); // 14
 * f.text(3); // '10.0.0.1'
 * f.is(0, '2'); // true
 */
export class FieldReader {
  #line = '';
  #count = 0;
  /** bounds[i]: where field i starts; it ends one separator before bounds[i + 1]. */
  readonly #bounds: number[];
  readonly #stored: number;
  readonly #separator: string;

  /** `capacity`: how many leading fields are located (later ones are only counted). */
  constructor(capacity: number, separator: string) {
    this.#bounds = Array.from({ length: capacity + 1 }, () => 0);
    this.#stored = capacity;
    this.#separator = separator;
  }

  /** Locates the fields of `line`; returns how many it has. */
  read(line: string): number {
    this.#line = line;
    const bounds = this.#bounds;
    const stored = this.#stored;
    let count = 0;
    let from = 0;
    // indexOf finds the next separator far faster than a loop over the characters.
    for (;;) {
      let to = line.indexOf(this.#separator, from);
      if (to === -1) to = line.length;
      // The start of one field past the located ones is kept too: it tells where the last ends.
      if (count <= stored) bounds[count] = from;
      count++;
      if (to === line.length) {
        if (count <= stored) bounds[count] = to + 1;
        break;
      }
      from = to + 1;
    }
    this.#count = count;
    return count;
  }

  /** The field exists in this line. */
  has(field: number): boolean {
    return field >= 0 && field < this.#count && field < this.#stored;
  }

  /** Is the field exactly `word`? (False when absent.) Compared in place, character by character. */
  is(field: number, word: string): boolean {
    if (!this.has(field)) return false;
    const from = this.#bounds[field] as number;
    if ((this.#bounds[field + 1] as number) - 1 - from !== word.length) return false;
    for (let i = 0; i < word.length; i++)
      if (this.#line.charCodeAt(from + i) !== word.charCodeAt(i)) return false;
    return true;
  }

  /** The field's text, or undefined when absent. */
  text(field: number): string | undefined {
    return this.has(field)
      ? this.#line.slice(this.#bounds[field], (this.#bounds[field + 1] as number) - 1)
      : undefined;
  }

  /** `Number(text)`: NaN when absent; plain digits are read in place. */
  number(field: number): number {
    if (!this.has(field)) return Number.NaN;
    const from = this.#bounds[field] as number;
    const to = (this.#bounds[field + 1] as number) - 1;
    if (to === from || to - from > 15) return Number(this.#line.slice(from, to));
    let value = 0;
    for (let i = from; i < to; i++) {
      const d = this.#line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number(this.#line.slice(from, to));
      value = value * 10 + d;
    }
    return value;
  }
}
