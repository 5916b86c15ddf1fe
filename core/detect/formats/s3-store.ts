import { memo } from '../memo.ts';
import type { StoreRef } from '../records.ts';

/** The bucket as a store, one object per bucket name. */
export const s3Store = memo(
  (bucket): StoreRef => ({ id: `arn:aws:s3:::${bucket}`, kind: 'bucket', name: bucket }),
);
