/**
 * Counts records per name (account, store) for the scan's figures, keeping at most `max` names:
 * once a name finds no room, it and every name new from then on count under `(others)`. Records
 * come in runs of one name, so the run's count is kept at hand and written to the map when the
 * name changes: no keyed lookup per record (a property keyed by a text cut from a line costs V8
 * a string-table lookup on every access).
 *
 * @example
 * const t = new NameTally(1000);
 * t.add('111122223333'); t.add('111122223333');
 * t.counts(); // { '111122223333': 2 }
 */
export class NameTally {
  readonly #counts = new Map<string, number>();
  readonly #max: number;
  /** The name of the current run (counted in the map or under `(others)`), and the run's count. */
  #last: string | undefined;
  #lastAs = '';
  #run = 0;

  constructor(max: number) {
    this.#max = max;
  }

  add(name: string): void {
    if (name === this.#last) {
      this.#run++;
      return;
    }
    this.#settle();
    const counts = this.#counts;
    // Once there are others, there is no room.
    const as = counts.has(name) || (!counts.has(OTHERS) && counts.size < this.#max) ? name : OTHERS;
    this.#last = name;
    this.#lastAs = as;
    this.#run = 1;
  }

  /** The counts so far, by name. */
  counts(): Record<string, number> {
    this.#settle();
    this.#last = undefined;
    return Object.fromEntries(this.#counts);
  }

  #settle(): void {
    if (this.#run === 0) return;
    this.#counts.set(this.#lastAs, (this.#counts.get(this.#lastAs) ?? 0) + this.#run);
    this.#run = 0;
  }
}

const OTHERS = '(others)';
