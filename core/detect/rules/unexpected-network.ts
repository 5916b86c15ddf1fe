import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { weightReadOf } from '../assets.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { expectedNetworksFor } from '../known-readers.ts';
import type { ObjectAccess } from '../records.ts';
import { addCapped, storeResources } from '../resources.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';
import { addAll } from '../window-store.ts';
import { windowedEntries } from '../windowed-entries.ts';
import { actorOf } from './bulk-read.ts';

interface Partial {
  first: ObjectAccess;
  window: number;
  /** The store: the rule counts per principal and store. */
  detail: string;
  objects: number;
  bytes: number;
  lastAt: number;
  origins: Set<string>;
  objectIds: Set<string>;
}

/**
 * Rule 1c: weight reads that came neither through an expected VPC endpoint nor from an expected
 * network (the reader's profile in detect.knownReaders, else detect.expectedNetworks). Silent while
 * neither names a network. Reads AWS services make on
 * their own behalf (replication, `s3.amazonaws.com`) are not network reads. Objects and bytes are the
 * window's totals in the WindowStore; at most `detect.maxStateEntries` windows are open (the
 * oldest spill and alert early, with their totals so far; origins and objects named are the
 * last part's).
 */
export function unexpectedNetworkDetector(config: Config): Detector {
  const t = config.detect.thresholds;
  const isWeightRead = weightReadOf(config);
  const networksOf = expectedNetworksFor(config);
  const partials = windowedEntries<Partial>(config.detect.maxStateEntries);
  return {
    id: 'unexpected-network',
    kinds: ['object-access'],
    observe(r) {
      if (!isWeightRead(r) || r.principal.kind === 'aws-service') return;
      const expected = networksOf(r.principal).matcher;
      if (expected.empty || expected.matches(r.network)) return;
      const window = windowStart(r.at, t.bulkRead.windowMinutes);
      const actor = actorOf(r.principal);
      const p =
        partials.get(actor, window, r.store.id) ??
        partials.add(actor, {
          first: r,
          window,
          detail: r.store.id,
          objects: 0,
          bytes: 0,
          lastAt: r.at,
          origins: new Set(),
          objectIds: new Set(),
        });
      p.objects++;
      p.bytes += r.bytes;
      if (r.at > p.lastAt) p.lastAt = r.at;
      addCapped(p.origins, r.network.vpce ?? r.network.ip ?? 'unknown', 10);
      addCapped(p.objectIds, r.objectId);
    },
    hasSpilled: partials.hasSpilled,
    async flush(state, only) {
      const batch = only === 'spilled' ? partials.spilled() : partials.take();
      // The window's totals across spills, files and writers (a spilled part alerts early).
      const totals = await addAll(
        state,
        batch.map((p) => ({
          key: `unexpected-network|${actorOf(p.first.principal)}|${p.detail}|${p.window}`,
          deltas: { objects: p.objects, bytes: p.bytes },
          expiresAt: windowExpiry(p.window, t.bulkRead.windowMinutes),
        })),
      );
      return batch.map((p, i) =>
        detectorAlert({
          rule: 'unexpected-network',
          type: DETECTOR_ALERT_TYPES.unexpectedNetwork,
          severity: t.unexpectedNetwork.severity,
          ...origin(p.first),
          resources: storeResources(p.first.store, p.objectIds),
          observedAt: p.lastAt,
          subject: `${actorOf(p.first.principal)}|${p.first.store.id}`,
          window: p.window,
          title: `${p.first.principal.id} read model weights from outside the expected networks`,
          evidence: {
            actor: actorOf(p.first.principal),
            origins: [...p.origins],
            expectedNetworks: config.detect.expectedNetworks,
            objects: totals[i]?.objects ?? p.objects,
            bytes: totals[i]?.bytes ?? p.bytes,
            window: describeWindow(p.window, t.bulkRead.windowMinutes),
          },
        }),
      );
    },
  };
}
