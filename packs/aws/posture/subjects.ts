import type { PostureContext, Subject } from '../../../core/posture/check.ts';
import type { SnapshotView } from '../../../core/posture/snapshot.ts';
import { awsRead } from './operations.ts';

/** The AWS scope of the run; checks are only asked for a snapshot that has it. */
export function awsScope(ctx: PostureContext) {
  const scope = ctx.scope.aws;
  if (!scope) throw new Error('posture check for AWS evaluated without an AWS scope');
  return scope;
}

const bucketSubject = (ctx: PostureContext, bucket: string, kind: Subject['kind']): Subject => ({
  kind,
  id: bucket,
  name: bucket,
  account: awsScope(ctx).account,
  resources: [{ kind: 'bucket', id: `arn:aws:s3:::${bucket}`, name: bucket }],
});

/** One subject per asset bucket in the configuration. */
export function assetBuckets(ctx: PostureContext): Subject[] {
  return (ctx.config.aws?.assets ?? []).map((a) => bucketSubject(ctx, a.bucket, 'asset'));
}

export function evidenceBucket(ctx: PostureContext): Subject[] {
  const bucket = ctx.config.aws?.evidenceBucket;
  return bucket ? [bucketSubject(ctx, bucket, 'evidence')] : [];
}

/** One subject per region of the run (region-scoped services: Bedrock, GuardDuty). */
export function regions(ctx: PostureContext): Subject[] {
  const { account, regions } = awsScope(ctx);
  return regions.map((region) => ({
    kind: 'region' as const,
    id: region,
    name: `${account} ${region}`,
    account,
    region,
    resources: [{ kind: 'account' as const, id: `AWS::::Account:${account}`, region }],
  }));
}

/** `GetBucketLocation` says `null`/empty for us-east-1 and `EU` for the oldest eu-west-1 buckets. */
export function bucketRegion(view: SnapshotView, bucket: string): string {
  const location = view.value<{ LocationConstraint?: string | null }>(
    's3:GetBucketLocation',
    bucket,
  ).LocationConstraint;
  if (!location) return 'us-east-1';
  return location === 'EU' ? 'eu-west-1' : location;
}

export const locationRead = (bucket: string) => awsRead('s3:GetBucketLocation', bucket, { Bucket: bucket });

/** Log buckets the scan function reads (`aws.logBuckets`), for "delivers where Tourniquet reads". */
export function logBuckets(ctx: PostureContext): string[] {
  return ctx.config.aws?.logBuckets ?? [];
}

/** `arn:aws:s3:::bucket/prefix` → bucket, for delivery destinations. */
export function bucketOfArn(arn: string | undefined): string | undefined {
  return /^arn:aws[\w-]*:s3:::([^/]+)/.exec(arn ?? '')?.[1];
}

/**
 * The response, or `absent` when the service said the configuration does not exist (S3 answers
 * "not configured" with an error: `NoSuchPublicAccessBlockConfiguration`, …); any other error or a
 * missing read makes the check unknown.
 */
export function valueOrAbsent<T>(
  view: SnapshotView,
  op: string,
  key: string,
  absent: readonly string[],
): T | 'absent' {
  const a = view.answer(op, key);
  if (a.kind === 'error' && absent.includes(a.code)) return 'absent';
  return view.value<T>(op, key);
}
