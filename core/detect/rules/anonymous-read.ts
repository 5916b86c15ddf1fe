import type { PrincipalRef } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { assetStores } from '../assets.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import type { ObjectAccess } from '../records.ts';
import { addCapped, storeResources } from '../resources.ts';

/** One alert per store and hour: a public store read all day is one incident an hour, not thousands. */
const WINDOW_MS = 60 * 60 * 1000;
const MAX_ADDRESSES = 20;

interface Reads {
  first: ObjectAccess;
  count: number;
  bytes: number;
  objects: Set<string>;
  addresses: Set<string>;
}

/**
 * Anonymous access is a leak by itself (issue 7): a successful read of any configured asset by a
 * caller that sent no credentials (S3 access log requester `-`, Azure `identity.type` Anonymous)
 * means the store is readable by anyone. No baseline or known-reader list is needed, and there is
 * no principal to revoke: the finding names the anonymous caller, its addresses as aliases, and the
 * store, which the playbook quarantines.
 */
export function anonymousReadDetector(config: Config): Detector {
  const isAsset = assetStores(config);
  let reads = new Map<string, Reads>();
  return {
    id: 'anonymous-read',
    kinds: ['object-access'],
    observe(r) {
      if (r.kind !== 'object-access' || !r.anonymous || r.op !== 'read' || !isAsset(r.store)) return;
      const key = `${r.store.id}|${Math.floor(r.at / WINDOW_MS)}`;
      let entry = reads.get(key);
      if (!entry) {
        entry = { first: r, count: 0, bytes: 0, objects: new Set(), addresses: new Set() };
        reads.set(key, entry);
      }
      entry.count++;
      entry.bytes += r.bytes;
      addCapped(entry.objects, r.objectId);
      if (r.network.ip) addCapped(entry.addresses, r.network.ip, MAX_ADDRESSES);
    },
    async flush() {
      const batch = [...reads.values()];
      reads = new Map();
      return batch.map(({ first, count, bytes, objects, addresses }) => {
        const principal: PrincipalRef = {
          id: 'anonymous',
          kind: 'anonymous',
          account: first.account,
          aliases: [...addresses].map((value) => ({ type: 'ip' as const, value })),
          certain: true,
        };
        return detectorAlert({
          rule: 'anonymous-read',
          type: DETECTOR_ALERT_TYPES.anonymousRead,
          severity: config.detect.thresholds.anonymousRead.severity,
          cloud: first.cloud,
          account: first.account,
          region: first.region,
          principal,
          resources: storeResources(first.store, objects),
          observedAt: first.at,
          subject: first.store.id,
          window: String(Math.floor(first.at / WINDOW_MS) * WINDOW_MS),
          title: `${first.store.id} read ${count} time(s) with no credentials (anonymous access)`,
          evidence: { reads: count, bytes, addresses: [...addresses], firstRead: first.objectId },
        });
      });
    },
  };
}
