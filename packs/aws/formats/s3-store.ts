import { memo, memoByFirst } from '../../../core/detect/memo.ts';
import type { StoreRef } from '../../../core/detect/records.ts';

/** The bucket as a store, one object per bucket name. */
export const s3Store = memo(
  (bucket): StoreRef => ({ id: `arn:aws:s3:::${bucket}`, kind: 'bucket', name: bucket }),
);

/**
 * `s3://bucket/key`, one text per object: the same shards are read over and over, and the rules
 * keep object ids in sets, so a repeated id arrives with its hash already computed.
 */
export const s3ObjectId = memoByFirst((key, bucket) => `s3://${bucket}/${key}`);
