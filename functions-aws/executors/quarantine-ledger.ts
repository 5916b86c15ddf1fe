import type { WriteOnceStore } from '../../core/journal.ts';

/**
 * Which `TourniquetQuarantine*` statements on a bucket are Tourniquet's: the ones its quarantine
 * recorded in the journal store, and whether their release has lifted them. A statement that merely
 * carries the prefix (anyone with s3:PutBucketPolicy can write one) is the owner's, so it never
 * steers the public access block.
 *
 * Keys (write-once): `quarantines/<bucket>/<sid>/applied` before the statement is put,
 * `quarantines/<bucket>/<sid>/lifted` after the release removed it.
 */
export interface QuarantineLedger {
  applied(bucket: string, sid: string, incidentId: string): Promise<void>;
  lifted(bucket: string, sid: string, incidentId: string): Promise<void>;
  /** Sids recorded on the bucket: all of them, and those not lifted yet. */
  sids(bucket: string): Promise<{ recorded: Set<string>; live: Set<string> }>;
}

const PREFIX = 'quarantines/';

export function storeLedger(store: WriteOnceStore): QuarantineLedger {
  const mark = async (bucket: string, sid: string, what: string, incidentId: string) => {
    const body = JSON.stringify({ bucket, sid, incidentId, at: new Date().toISOString() });
    // false: an earlier delivery wrote it already; the record stands.
    await store.create(`${PREFIX}${bucket}/${sid}/${what}`, body);
  };
  return {
    applied: (bucket, sid, incidentId) => mark(bucket, sid, 'applied', incidentId),
    lifted: (bucket, sid, incidentId) => mark(bucket, sid, 'lifted', incidentId),
    async sids(bucket) {
      const keys = await store.list(`${PREFIX}${bucket}/`);
      const recorded = new Set<string>();
      const gone = new Set<string>();
      for (const key of keys) {
        const [sid, what] = key.slice(PREFIX.length + bucket.length + 1).split('/');
        if (!sid) continue;
        if (what === 'applied') recorded.add(sid);
        if (what === 'lifted') gone.add(sid);
      }
      return { recorded, live: new Set([...recorded].filter((s) => !gone.has(s))) };
    },
  };
}

/** Without a ledger nothing is recognised: every prefixed statement is treated as the owner's. */
export const NO_LEDGER: QuarantineLedger = {
  applied: async () => {},
  lifted: async () => {},
  sids: async () => ({ recorded: new Set(), live: new Set() }),
};
