import type { Handlers, simulatedS3 } from '../../sim/aws/s3.ts';

/**
 * The simulator sorts a bucket's keys on every listing call, which at 100,000 objects is the
 * simulator's CPU, not Tourniquet's (S3 does it server-side). The asset buckets gain no key during
 * the run (the copies go to the evidence bucket), so their keys are sorted once and listed from that.
 */
export function listedOnce(s3: ReturnType<typeof simulatedS3>, assets: readonly string[]): Handlers {
  // Sorted now, before the clock starts; one filtered list per prefix.
  const sorted = new Map(assets.map((b) => [b, [...(s3.buckets.get(b)?.objects.keys() ?? [])].sort()]));
  const filtered = new Map<string, string[]>();
  const keysOf = (bucket: string, prefix: string) => {
    const id = `${bucket}/${prefix}`;
    let keys = filtered.get(id);
    if (!keys) {
      keys = (sorted.get(bucket) ?? []).filter((k) => k.startsWith(prefix));
      filtered.set(id, keys);
    }
    return keys;
  };
  const PAGE = 1000;
  const latest = (bucket: string, key: string) => s3.buckets.get(bucket)?.objects.get(key)?.at(-1);
  return {
    ...s3.handlers,
    async ListObjectsV2Command(input) {
      if (!assets.includes(input.Bucket))
        return (s3.handlers.ListObjectsV2Command as Handlers[string])(input);
      const keys = keysOf(input.Bucket, input.Prefix ?? '');
      const from = Number(input.ContinuationToken ?? 0);
      const more = from + PAGE < keys.length;
      const page = keys.slice(from, from + PAGE);
      return {
        Contents: page.map((Key) => ({ Key, Size: latest(input.Bucket, Key)?.size })),
        KeyCount: page.length,
        IsTruncated: more,
        ...(more ? { NextContinuationToken: String(from + PAGE) } : {}),
      };
    },
    async ListObjectVersionsCommand(input) {
      if (!assets.includes(input.Bucket))
        return (s3.handlers.ListObjectVersionsCommand as Handlers[string])(input);
      // One version per key in the bench: the key marker alone says where the page starts.
      const keys = keysOf(input.Bucket, input.Prefix ?? '');
      let from = 0;
      if (input.KeyMarker) {
        let lo = 0;
        let hi = keys.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((keys[mid] as string) <= input.KeyMarker) lo = mid + 1;
          else hi = mid;
        }
        from = lo;
      }
      const page = keys.slice(from, from + PAGE);
      const more = from + PAGE < keys.length;
      const last = page.at(-1);
      return {
        Versions: page.map((Key) => {
          const v = latest(input.Bucket, Key);
          return { Key, VersionId: v?.versionId, IsLatest: true, ETag: v?.etag, Size: v?.size };
        }),
        IsTruncated: more,
        ...(more && last
          ? { NextKeyMarker: last, NextVersionIdMarker: latest(input.Bucket, last)?.versionId }
          : {}),
      };
    },
  };
}
