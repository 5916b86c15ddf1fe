/**
 * The storage port under the incident journal: objects that can be created once and never changed
 * (S3 `If-None-Match: *`, Azure blob `ifNoneMatch: '*'`). Object Lock / immutability on the store
 * makes the journal tamper-proof.
 */
export interface WriteOnceStore {
  /** Creates `key` if it does not exist; false when it already does (someone else wrote it). */
  create(key: string, body: string): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Every key under `prefix`, in any order. */
  list(prefix: string): Promise<string[]>;
}
