import type { StoreRef } from '../records.ts';

export function s3Store(bucket: string): StoreRef {
  return { id: `arn:aws:s3:::${bucket}`, kind: 'bucket', name: bucket };
}
