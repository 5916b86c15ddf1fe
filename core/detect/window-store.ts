/**
 * The state port detectors share across log files and concurrent invocations. Adapters:
 * memory (CLI, tests), DynamoDB (functions-aws/detect), Azure Table storage (functions-azure/detect).
 * Both operations must be atomic against concurrent writers: no count may be lost.
 */
export interface WindowStore {
  /**
   * Adds each delta to the named counters of `key` atomically and returns every counter of the key
   * after the add (the window's totals so far, across all writers).
   *
   * @example
   * await store.add('bulk-read|arn:aws:iam::1:role/x|1764064800000', { bytes: 1024, objects: 1 }, expiresAt)
   * // → { bytes: 8192, objects: 5 }
   */
  add(
    key: string,
    deltas: Readonly<Record<string, number>>,
    expiresAt: Date,
  ): Promise<Record<string, number>>;
  /** Remembers `member` under `set`; true only for the one writer that added it first. */
  remember(set: string, member: string): Promise<boolean>;
}

/** Counter names the adapters accept: short identifiers, valid as DynamoDB and Azure Table names. */
export const COUNTER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Throws unless every counter name is storable; detectors name counters, never users. */
export function checkCounterNames(deltas: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(deltas)) {
    if (!COUNTER_NAME.test(name)) throw new Error(`counter name ${JSON.stringify(name)} is not storable`);
    if (!Number.isFinite(value)) throw new Error(`counter ${name} must be a finite number`);
  }
}
