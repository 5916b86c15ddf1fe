import { fail, type PostureCheck, pass, unknown } from '../../../../core/posture/check.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { awsRead } from '../operations.ts';
import { type EventSelectorsAnswer, s3EventCoverage } from '../s3-data-event-coverage.ts';
import { assetBuckets, bucketRegion, locationRead, logBuckets } from '../subjects.ts';

interface Trail {
  Name?: string;
  TrailARN?: string;
  HomeRegion?: string;
  S3BucketName?: string;
  IsMultiRegionTrail?: boolean;
}

const selectorsFix = (bucket: string, trail: string) =>
  `aws cloudtrail put-event-selectors --trail-name ${trail} --advanced-event-selectors ` +
  `'[{"Name":"Tourniquet ${bucket}","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},` +
  `{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::${bucket}/"]}]}]'` +
  " (put-event-selectors replaces the trail's selectors: add this one to those it has)";

/**
 * CloudTrail data events for every object of the asset bucket, `GetObject` included, from a trail
 * that logs in the bucket's region (its own or multi-region: `DescribeTrails` with shadow trails
 * there), is logging, and delivers to a bucket in `aws.logBuckets` — where the scan function reads.
 */
export const cloudtrailDataEvents: PostureCheck = {
  id: 'aws.cloudtrail-data-events',
  cloud: 'aws',
  title: 'CloudTrail logs S3 data events (GetObject) of the asset bucket',
  why: 'the CloudTrail s3:GetObject playbook and the bulk-read, first-reader and unexpected-network detectors read S3 data events; without them a download of the weights leaves no trace',
  severity: 8,
  operations: [
    's3:GetBucketLocation',
    'cloudtrail:DescribeTrails',
    'cloudtrail:GetTrailStatus',
    'cloudtrail:GetEventSelectors',
  ],
  subjects: assetBuckets,
  reads(subject, { view }) {
    const reads: Read[] = [locationRead(subject.id)];
    if (view.answer('s3:GetBucketLocation', subject.id).kind !== 'ok') return reads;
    const region = bucketRegion(view, subject.id);
    reads.push(awsRead('cloudtrail:DescribeTrails', region, { includeShadowTrails: true }, region));
    if (view.answer('cloudtrail:DescribeTrails', region).kind !== 'ok') return reads;
    for (const trail of view.items<Trail>('cloudtrail:DescribeTrails', region, 'trailList')) {
      if (!trail.TrailARN) continue;
      const home = trail.HomeRegion ?? region;
      reads.push(
        awsRead('cloudtrail:GetEventSelectors', trail.TrailARN, { TrailName: trail.TrailARN }, home),
      );
      reads.push(awsRead('cloudtrail:GetTrailStatus', trail.TrailARN, { Name: trail.TrailARN }, home));
    }
    return reads;
  },
  evaluate(subject, ctx) {
    const { view } = ctx;
    const bucket = subject.id;
    const region = bucketRegion(view, bucket);
    const trails = view.items<Trail>('cloudtrail:DescribeTrails', region, 'trailList');
    if (!trails.length)
      return fail(
        `no trail logs in ${region}, where ${bucket} is`,
        `aws cloudtrail create-trail --name tourniquet-data-events --is-multi-region-trail --s3-bucket-name ${logBuckets(ctx)[0] ?? '<a bucket in aws.logBuckets>'} && aws cloudtrail start-logging --name tourniquet-data-events && ${selectorsFix(bucket, 'tourniquet-data-events')}`,
      );
    const notes: string[] = [];
    let undetermined = false;
    for (const trail of trails) {
      const arn = trail.TrailARN ?? trail.Name ?? '?';
      const name = trail.Name ?? arn;
      const selectors = view.answer('cloudtrail:GetEventSelectors', arn);
      const status = view.answer('cloudtrail:GetTrailStatus', arn);
      if (selectors.kind !== 'ok' || status.kind !== 'ok') {
        undetermined = true;
        notes.push(
          `${name}: ${selectors.kind === 'error' ? selectors.code : status.kind === 'error' ? status.code : 'not read'}`,
        );
        continue;
      }
      const reads = s3EventCoverage(selectors.value as EventSelectorsAnswer, {
        eventName: 'GetObject',
        readOnly: true,
        bucket,
      });
      const writes = s3EventCoverage(selectors.value as EventSelectorsAnswer, {
        eventName: 'PutObject',
        readOnly: false,
        bucket,
      });
      const logging = (status.value as { IsLogging?: boolean }).IsLogging === true;
      const delivered = !!trail.S3BucketName && logBuckets(ctx).includes(trail.S3BucketName);
      if (reads.covered && logging && delivered) {
        return pass(
          `${name} logs GetObject on every object of ${bucket} into ${trail.S3BucketName}` +
            (writes.covered
              ? ', writes too'
              : '; writes are not logged (the artifact-modified detector needs PutObject/DeleteObject)'),
        );
      }
      const why = [
        ...(reads.covered
          ? []
          : [
              reads.gaps.length
                ? `GetObject logged for ${reads.gaps.join('; ')}`
                : 'no data events for this bucket',
            ]),
        ...(logging ? [] : ['not logging']),
        ...(delivered
          ? []
          : [`delivers to ${trail.S3BucketName ?? 'no S3 bucket'}, not a bucket in aws.logBuckets`]),
      ];
      notes.push(`${name}: ${why.join(', ')}`);
    }
    const trail = trails[0]?.Name ?? 'tourniquet-data-events';
    const fix = `${selectorsFix(bucket, trail)}; aws cloudtrail start-logging --name ${trail}; the trail's S3 bucket must be in aws.logBuckets`;
    // A trail that could not be read may be the one that covers the bucket.
    if (undetermined) return unknown(`could not read every trail: ${notes.join(' | ')}`, fix);
    return fail(notes.join(' | '), fix);
  },
};
