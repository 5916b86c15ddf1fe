import type { PrincipalRef } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { weightFile, weightStores } from '../assets.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { manifestIndex } from '../manifest.ts';
import type { ObjectAccess, StoreRef } from '../records.ts';
import { addCapped, storeResources } from '../resources.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';
import { windowedEntries } from '../windowed-entries.ts';
import { actorOf } from './bulk-read.ts';

interface Partial {
  principal: PrincipalRef;
  first: ObjectAccess;
  window: number;
  /** Weight files and approved artifacts deleted one by one (a key each). */
  objects: number;
  /** Of those, approved artifacts (detect.manifest). */
  approved: number;
  /** Requests that deleted keys the log does not name (CloudTrail DeleteObjects). */
  batches: number;
  /** The stores those requests deleted from (names), in order of first sight. */
  batchStores: Set<string>;
  lastAt: number;
  stores: Map<string, { store: StoreRef; objectIds: Set<string> }>;
}

/** Which limit a window's totals crossed, or undefined. */
export function bulkDeleteCrossed(
  totals: { objects: number; approved: number; batches: number },
  limits: { maxObjects: number; maxApprovedArtifacts: number; maxBatchRequests: number },
) {
  if (totals.objects > limits.maxObjects) return 'objects';
  if (totals.approved > limits.maxApprovedArtifacts) return 'approved-artifacts';
  if (totals.batches > limits.maxBatchRequests) return 'batch-requests';
  return undefined;
}

/**
 * Rule 2c: a mass deletion of model weights or approved artifacts by one actor within a window.
 * Counted: deletes of weight files in `model-weights` stores and of approved artifacts, one per key
 * (S3 `REST.DELETE.OBJECT` and `BATCH.DELETE.OBJECT` lines, CloudTrail `DeleteObject`, Azure
 * `DeleteBlob` — a Blob Batch's deletes are logged one by one), and the batch requests whose keys
 * the log does not name (CloudTrail `DeleteObjects`) against such a store: by default one such
 * call alone is a bulk deletion of unknown size (`maxBatchRequests` 0). Deletion is never
 * someone's usual read pattern, so there is no known-reader allowance.
 */
export function bulkDeleteDetector(config: Config): Detector {
  const t = config.detect.thresholds.bulkDelete;
  const isWeightStore = weightStores(config);
  const isWeight = weightFile(config.detect.thresholds.bulkRead.weightSuffixes);
  const manifest = manifestIndex(config.detect.manifest);
  // Stores holding an approved artifact, by object id prefix (`s3://bucket/`, blob container URL).
  const approvedStores = new Set(config.detect.manifest.map((e) => e.location.replace(/[^/]*$/, '')));
  const partials = windowedEntries<Partial>(config.detect.maxStateEntries);
  /** Does the record delete protected objects: 'approved', 'weight', or not (undefined)? */
  const protectedDelete = (r: ObjectAccess): 'approved' | 'weight' | undefined => {
    if (r.batch) {
      const holdsApproved = [...approvedStores].some((p) => p.startsWith(r.objectId));
      return isWeightStore(r.store) || holdsApproved ? 'weight' : undefined;
    }
    if (!manifest.empty && manifest.at(r.objectId)) return 'approved';
    return isWeightStore(r.store) && isWeight(r.key) ? 'weight' : undefined;
  };
  return {
    id: 'bulk-delete',
    kinds: ['object-access'],
    observe(r) {
      if (r.kind !== 'object-access' || r.op !== 'delete') return;
      const what = protectedDelete(r);
      if (!what) return;
      const window = windowStart(r.at, t.windowMinutes);
      const actor = actorOf(r.principal);
      const p =
        partials.get(actor, window) ??
        partials.add(actor, {
          principal: r.principal,
          first: r,
          window,
          objects: 0,
          approved: 0,
          batches: 0,
          batchStores: new Set(),
          lastAt: r.at,
          stores: new Map(),
        });
      if (r.batch) {
        p.batches += 1;
        p.batchStores.add(r.store.name);
      } else {
        p.objects += 1;
        if (what === 'approved') p.approved += 1;
      }
      if (r.at > p.lastAt) p.lastAt = r.at;
      let s = p.stores.get(r.store.id);
      if (s === undefined) {
        s = { store: r.store, objectIds: new Set<string>() };
        p.stores.set(r.store.id, s);
      }
      if (!r.batch) addCapped(s.objectIds, r.objectId);
    },
    hasSpilled: partials.hasSpilled,
    async flush(state, only) {
      const alerts = [];
      for (const p of only === 'spilled' ? partials.spilled() : partials.take()) {
        const actor = actorOf(p.principal);
        const sums = await state.add(
          `bulk-delete|${actor}|${p.window}`,
          { objects: p.objects, approved: p.approved, batches: p.batches },
          windowExpiry(p.window, t.windowMinutes),
        );
        const totals = {
          objects: sums.objects ?? 0,
          approved: sums.approved ?? 0,
          batches: sums.batches ?? 0,
        };
        const crossed = bulkDeleteCrossed(totals, t);
        if (!crossed) continue;
        const buckets = [...p.batchStores].join(', ');
        const batchWords = totals.batches
          ? `${totals.batches} DeleteObjects call(s) naming no key on protected ${buckets} (a bulk deletion of unknown size, up to 1,000 objects per call)`
          : '';
        const keyWords = `${totals.objects} weight objects (${totals.approved} approved artifacts)`;
        const what =
          totals.objects || !totals.batches
            ? `${keyWords}${batchWords ? ` and made ${batchWords}` : ''}`
            : `with ${batchWords}`;
        alerts.push(
          detectorAlert({
            rule: 'bulk-delete',
            type: DETECTOR_ALERT_TYPES.bulkDelete,
            severity: t.severity,
            cloud: p.first.cloud,
            account: p.first.account,
            ...(p.first.region ? { region: p.first.region } : {}),
            principal: p.principal,
            resources: [...p.stores.values()].flatMap((s) => storeResources(s.store, s.objectIds)),
            observedAt: p.lastAt,
            subject: actor,
            window: p.window,
            title: `${p.principal.id} deleted ${what} in ${t.windowMinutes} min`,
            evidence: {
              crossed,
              actor,
              ...totals,
              ...(totals.batches ? { unknownSize: true, batchStores: [...p.batchStores] } : {}),
              maxObjects: t.maxObjects,
              maxApprovedArtifacts: t.maxApprovedArtifacts,
              maxBatchRequests: t.maxBatchRequests,
              window: describeWindow(p.window, t.windowMinutes),
            },
          }),
        );
      }
      return alerts;
    },
  };
}
