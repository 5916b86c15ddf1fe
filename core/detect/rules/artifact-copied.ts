import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { weightStores } from '../assets.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { manifestIndex } from '../manifest.ts';
import type { ObjectAccess } from '../records.ts';
import { storeResources } from '../resources.ts';

/**
 * Rule 2b: an approved artifact showed up where it should not be: an object written outside the
 * approved locations carries an approved digest, or a server-side copy takes an approved artifact
 * to a store that is not a `model-weights` asset (another bucket, container or account).
 */
export function artifactCopiedDetector(config: Config): Detector {
  const manifest = manifestIndex(config.detect.manifest);
  const isWeightStore = weightStores(config);
  let found: { r: ObjectAccess; how: string; original: string }[] = [];
  return {
    id: 'artifact-copied',
    kinds: ['object-access'],
    observe(r) {
      if (manifest.empty || r.kind !== 'object-access' || (r.op !== 'write' && r.op !== 'copy')) return;
      if (manifest.at(r.objectId)) return;
      const source = r.copySource ? manifest.at(r.copySource) : undefined;
      if (source && !isWeightStore(r.store)) {
        found.push({ r, how: 'server-side copy of an approved artifact', original: source.location });
        return;
      }
      const same = manifest.withDigest(r.checksums);
      if (same) found.push({ r, how: 'object with an approved artifact digest', original: same.location });
    },
    async flush() {
      const batch = found;
      found = [];
      return batch.map(({ r, how, original }) =>
        detectorAlert({
          rule: 'artifact-copied',
          type: DETECTOR_ALERT_TYPES.artifactCopied,
          severity: config.detect.thresholds.artifactCopied.severity,
          ...origin(r),
          resources: storeResources(r.store, [r.objectId]),
          observedAt: r.at,
          subject: r.objectId,
          window: r.sourceId,
          title: `copy of approved artifact ${original} at ${r.objectId}`,
          evidence: {
            how,
            original,
            copy: r.objectId,
            shown: r.checksums ?? {},
            destinationIsAsset: isWeightStore(r.store),
          },
        }),
      );
    },
  };
}
