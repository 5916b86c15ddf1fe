import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { bucketFromArn, parseObjectUri } from './names.ts';

type AwsAsset = NonNullable<Config['aws']>['assets'][number];

/** The configured asset for a bucket name, if the bucket is one Tourniquet protects. */
export function awsAsset(config: Config, bucket: string): AwsAsset | undefined {
  return config.aws?.assets.find((a) => a.bucket === bucket);
}

/** Every bucket an alert names, directly or as the parent of a named object, in order. */
export function alertBuckets(alert: Alert): string[] {
  const names = alert.resources.flatMap((r) => {
    if (r.kind === 'bucket') return [bucketFromArn(r.id)];
    if (r.kind === 'object') return [parseObjectUri(r.id)?.bucket];
    return [];
  });
  return [...new Set(names.filter((n): n is string => !!n))];
}

/** Keys of the objects an alert names in one bucket. */
export function alertKeys(alert: Alert, bucket: string): string[] {
  return alert.resources
    .filter((r) => r.kind === 'object')
    .map((r) => parseObjectUri(r.id))
    .filter((o) => o?.bucket === bucket)
    .map((o) => o?.key ?? '');
}

/** Bucket names the alert names that are configured assets (never the evidence bucket). */
export function alertAssetBuckets(alert: Alert, config: Config): string[] {
  return alertBuckets(alert).filter((b) => awsAsset(config, b) && b !== config.aws?.evidenceBucket);
}
