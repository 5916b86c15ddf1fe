import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * Each S3 client has its own socket pool (the SDK's Node handler keeps `maxSockets` connections and
 * queues the rest). Cut-off calls, journal writes and evidence calls get a client each, so the
 * deny never waits in the queue behind thousands of HEADs, holds and copies: the time to cut the
 * attacker off does not depend on how much evidence follows. The cut-off pool fits the reads of
 * `limits.maxStores` (at most 50) buckets at once (three reads each), the journal pool the
 * before-entries of all their actions; the evidence pool is the SDK's default, and its queue is
 * where the evidence waits (bench/aws.ts measures both ways).
 */
export const LANE_SOCKETS = { cutOff: 200, journal: 200, evidence: 50 } as const;
export type Lane = keyof typeof LANE_SOCKETS;

/** An S3 client of one lane: its own connections, sized for what that lane carries. */
export function laneS3(lane: Lane, config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...config, requestHandler: { httpsAgent: { maxSockets: LANE_SOCKETS[lane] } } });
}
