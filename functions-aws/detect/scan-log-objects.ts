import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../core/config.ts';
import type { CorrelatedAlert } from '../../core/detect/correlate.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import type { ScannedLog } from '../../core/detect/scan-result.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import { AWS_PACKS } from '../../packs/aws-deployment.ts';
import { type LogObject, openLogObject } from './s3-log-object.ts';

/**
 * Streams each log object through the detectors, one session for the delivery so windows span
 * its objects. An object that is not a log Tourniquet reads (a CloudTrail digest, an unknown
 * format) is skipped with its reason; read failures propagate so the platform retries.
 */
export async function scanLogObjects(
  objects: readonly LogObject[],
  deps: { config: Config; s3: S3Client; state: WindowStore },
) {
  const session = createScanSession(deps.config, deps.state, { packs: AWS_PACKS });
  const scanned: ScannedLog[] = [];
  const alerts: CorrelatedAlert[] = [];
  for (const object of objects) {
    const name = `s3://${object.bucket}/${object.key}`;
    try {
      const result = await session.scan(await openLogObject(deps.s3, object));
      scanned.push({ object: name, stats: result.stats });
      alerts.push(...result.alerts);
    } catch (error) {
      if (!(error instanceof RejectedInputError)) throw error;
      scanned.push({ object: name, skipped: describeError(error) });
    }
  }
  return { scanned, alerts };
}
