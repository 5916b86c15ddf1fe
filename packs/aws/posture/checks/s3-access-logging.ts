import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { assetBuckets, logBuckets } from '../subjects.ts';

/** S3 server access logs delivered where the scan function reads them. */
export const s3AccessLogging: PostureCheck = {
  id: 'aws.s3-access-logging',
  cloud: 'aws',
  title: 'S3 server access logging into a log bucket Tourniquet reads',
  why: 'the bulk-read, first-reader and unexpected-network detectors also read S3 server access logs, which see requests CloudTrail data events may not (and cost nothing extra)',
  severity: 5,
  operations: ['s3:GetBucketLogging'],
  subjects: assetBuckets,
  reads: (s) => [awsRead('s3:GetBucketLogging', s.id, { Bucket: s.id })],
  evaluate(s, ctx) {
    const target = ctx.config.aws?.logBuckets[0] ?? '<a bucket in aws.logBuckets>';
    const fix = `aws s3api put-bucket-logging --bucket ${s.id} --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"${target}","TargetPrefix":"s3-access/${s.id}/"}}'`;
    const out = ctx.view.value<{ LoggingEnabled?: { TargetBucket?: string; TargetPrefix?: string } }>(
      's3:GetBucketLogging',
      s.id,
    );
    const to = out.LoggingEnabled?.TargetBucket;
    if (!to) return fail('server access logging is off', fix);
    if (!logBuckets(ctx).includes(to))
      return fail(
        `logs go to ${to}, which is not in aws.logBuckets: the scan function never reads them`,
        `add "${to}" to aws.logBuckets, or: ${fix}`,
      );
    return pass(`logs to ${to}/${out.LoggingEnabled?.TargetPrefix ?? ''}`);
  },
};
