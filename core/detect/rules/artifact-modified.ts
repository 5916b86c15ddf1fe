import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { manifestIndex } from '../manifest.ts';
import type { ObjectAccess } from '../records.ts';
import { storeResources } from '../resources.ts';

/**
 * Rule 2a: an approved artifact (detect.manifest) was overwritten with other content or deleted.
 * A write whose digest still matches is a benign re-upload; a write whose log shows no comparable
 * digest is reported too, saying so, since the content can no longer be vouched for.
 */
export function artifactModifiedDetector(config: Config): Detector {
  const manifest = manifestIndex(config.detect.manifest);
  let found: {
    r: ObjectAccess;
    verdict: 'differ' | 'unknown' | 'deleted';
    approved: Record<string, unknown>;
  }[] = [];
  return {
    id: 'artifact-modified',
    kinds: ['object-access'],
    observe(r) {
      if (manifest.empty || r.kind !== 'object-access' || r.op === 'read') return;
      const entry = manifest.at(r.objectId);
      if (!entry) return;
      const verdict = r.op === 'delete' ? 'deleted' : manifest.compare(entry, r.checksums);
      if (verdict === 'match') return;
      const { location: _, ...approved } = entry;
      found.push({ r, verdict, approved });
    },
    async flush() {
      const batch = found;
      found = [];
      return batch.map(({ r, verdict, approved }) =>
        detectorAlert({
          rule: 'artifact-modified',
          type: DETECTOR_ALERT_TYPES.artifactModified,
          severity: config.detect.thresholds.artifactModified.severity,
          ...origin(r),
          resources: storeResources(r.store, [r.objectId]),
          observedAt: r.at,
          subject: r.objectId,
          window: r.sourceId,
          title: `approved artifact ${r.objectId} ${verdict === 'deleted' ? 'deleted' : 'overwritten'}`,
          evidence: {
            verdict,
            operation: r.op,
            approved,
            shown: r.checksums ?? {},
            ...(r.network.ip ? { sourceIp: r.network.ip } : {}),
          },
        }),
      );
    },
  };
}
