import type { Config } from '../../config.ts';
import { matchesAny } from '../../principal-match.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { weightReadOf } from '../assets.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { knownReaderPatterns } from '../known-readers.ts';
import type { ObjectAccess } from '../records.ts';
import { storeResources } from '../resources.ts';

/**
 * Rule 1b: the first weight read by a principal that is not a known reader and was never seen
 * reading weights before. The set of seen readers lives in the WindowStore (learned over time);
 * detect.knownReaders seeds it. At most `detect.maxStateEntries` first reads wait for the flush:
 * beyond, the oldest spill and are remembered (and alerted on) early; the lookups of this file
 * are forgotten at the cap (they only spare the principal match).
 */
export function firstReaderDetector(config: Config): Detector {
  const t = config.detect.thresholds;
  const isWeightRead = weightReadOf(config);
  const cap = config.detect.maxStateEntries;
  let firsts = new Map<string, ObjectAccess>();
  let spilled: ObjectAccess[] = [];
  let seen = new Set<string>();
  const known = new Map<string, boolean>();
  const readers = knownReaderPatterns(config);
  return {
    id: 'first-reader',
    kinds: ['object-access'],
    observe(r) {
      if (!isWeightRead(r)) return;
      // One lookup per record once a reader was seen in this file: known or already recorded.
      if (seen.has(r.principal.id)) return;
      if (seen.size >= cap) seen.clear();
      seen.add(r.principal.id);
      let isKnown = known.get(r.principal.id);
      if (isKnown === undefined) {
        if (known.size >= cap) known.clear();
        isKnown = matchesAny(readers, r.principal);
        known.set(r.principal.id, isKnown);
      }
      // Already waiting (its lookup was forgotten): the first read stays the first.
      if (isKnown || firsts.has(r.principal.id)) return;
      if (firsts.size >= cap) {
        const [oldest, read] = firsts.entries().next().value as [string, ObjectAccess];
        firsts.delete(oldest);
        spilled.push(read);
      }
      firsts.set(r.principal.id, r);
    },
    hasSpilled: () => spilled.length > 0,
    async flush(state, only) {
      const batch = spilled;
      spilled = [];
      if (only !== 'spilled') {
        batch.push(...firsts.values());
        firsts = new Map();
        seen = new Set();
      }
      const alerts = [];
      for (const r of batch) {
        if (!(await state.remember('weight-readers', r.principal.id))) continue;
        alerts.push(
          detectorAlert({
            rule: 'first-reader',
            type: DETECTOR_ALERT_TYPES.firstReader,
            severity: t.firstReader.severity,
            ...origin(r),
            resources: storeResources(r.store, [r.objectId]),
            observedAt: r.at,
            subject: r.principal.id,
            window: 'first',
            title: `${r.principal.id} read model weights for the first time`,
            evidence: {
              firstRead: r.objectId,
              at: new Date(r.at).toISOString(),
              knownReaders: config.detect.knownReaders.length,
              ...(r.network.ip ? { sourceIp: r.network.ip } : {}),
            },
          }),
        );
      }
      return alerts;
    },
  };
}
