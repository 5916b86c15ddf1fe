import {
  type LogFormat,
  malformed,
  num,
  obj,
  parseObject,
  str,
  time,
} from '../../../core/detect/formats/log-format.ts';
import { isIpLike } from '../../../core/detect/principals.ts';
import type { ObjectAccess } from '../../../core/detect/records.ts';
import { cachedCloudTrailPrincipal } from './aws-identity.ts';
import { s3ObjectId, s3Store } from './s3-store.ts';

const OPS: Record<string, ObjectAccess['op']> = {
  GetObject: 'read',
  PutObject: 'write',
  CompleteMultipartUpload: 'write',
  CopyObject: 'copy',
  UploadPartCopy: 'copy',
  DeleteObject: 'delete',
  DeleteObjects: 'delete',
};

/**
 * CloudTrail log files as delivered to S3: one JSON document `{"Records":[…]}` per file, gzip.
 * Only S3 object-level data events matter here (S3 User Guide, "CloudTrail log file entries for
 * Amazon S3"): bucket and key from `requestParameters`, bytes from
 * `additionalEventData.bytesTransferredOut/In`, the VPC endpoint from `vpcEndpointId`.
 */
export const cloudTrailFormat: LogFormat = {
  name: 'cloudtrail',
  cloud: 'aws',
  framing: 'json-array',
  // The file CloudTrail writes, or its records alone as a bare array (`jq .Records`, captures).
  sniff: ({ text }) =>
    /^\{\s*"Records"\s*:/.test(text) ||
    (/^\[\s*\{/.test(text) && /"eventVersion"\s*:/.test(text) && /"eventSource"\s*:/.test(text)),
  documentation:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html',
  open: () => (unit) => cloudTrailRecord(parseObject(unit)),
  openValue: () => cloudTrailRecord,
};

/** One CloudTrail record (already parsed) as records: S3 object data events only. */
function cloudTrailRecord(e: Record<string, unknown>): ObjectAccess[] {
  const name = str(e.eventName);
  if (!name || !str(e.eventSource) || !str(e.eventTime)) malformed('not a CloudTrail record');
  const op = OPS[name];
  if (e.eventSource !== 's3.amazonaws.com' || !op || str(e.errorCode)) return [];
  const req = obj(e.requestParameters) ?? {};
  const bucket = str(req.bucketName);
  const key = str(req.key);
  if (!bucket) return [];
  const account = str(e.recipientAccountId) ?? malformed('no recipientAccountId');
  if (name === 'DeleteObjects') return deleteObjects(e, bucket, account);
  if (!key) return [];
  const extra = obj(e.additionalEventData) ?? {};
  const ip = str(e.sourceIPAddress);
  const vpce = str(e.vpcEndpointId);
  const store = s3Store(bucket);
  const sha256 = base64ToHex(str(req['x-amz-checksum-sha256']));
  const copySource = op === 'copy' ? copySourceUri(str(req['x-amz-copy-source'])) : undefined;
  const record: ObjectAccess = {
    kind: 'object-access',
    op,
    cloud: 'aws',
    account,
    region: str(e.awsRegion),
    at: time(e.eventTime),
    principal: cachedCloudTrailPrincipal(e.userIdentity, ip, account),
    store,
    key,
    objectId: s3ObjectId(key, bucket),
    bytes: num(op === 'read' ? extra.bytesTransferredOut : extra.bytesTransferredIn) ?? 0,
    network: { ip: ip && isIpLike(ip) ? ip : undefined, vpce },
    checksums: sha256 ? { sha256 } : undefined,
    copySource: copySource,
    sourceId: str(e.eventID) ?? str(e.requestID) ?? '',
  };
  return [record];
}

/**
 * `DeleteObjects` (Multi-Object Delete): CloudTrail does not log the keys (up to 1,000 per call;
 * S3 User Guide, "Logging options for Amazon S3": server access logs name each key). `resources`
 * lists the bucket and an `AWS::S3::Object` entry with an `ARNPrefix`; should an entry name an
 * object by `ARN`, that object is a delete of its own. Otherwise the call is one batch delete.
 */
function deleteObjects(e: Record<string, unknown>, bucket: string, account: string): ObjectAccess[] {
  const ip = str(e.sourceIPAddress);
  const prefix = `arn:aws:s3:::${bucket}/`;
  const keys: string[] = [];
  for (const r of Array.isArray(e.resources) ? e.resources : []) {
    const arn = str(obj(r)?.ARN);
    if (str(obj(r)?.type) === 'AWS::S3::Object' && arn?.startsWith(prefix) && arn.length > prefix.length)
      keys.push(arn.slice(prefix.length));
  }
  const base = {
    kind: 'object-access' as const,
    op: 'delete' as const,
    cloud: 'aws' as const,
    account,
    region: str(e.awsRegion),
    at: time(e.eventTime),
    principal: cachedCloudTrailPrincipal(e.userIdentity, ip, account),
    store: s3Store(bucket),
    bytes: 0,
    network: { ip: ip && isIpLike(ip) ? ip : undefined, vpce: str(e.vpcEndpointId) },
    sourceId: str(e.eventID) ?? str(e.requestID) ?? '',
  };
  if (keys.length === 0) return [{ ...base, key: '', objectId: `s3://${bucket}/`, batch: true }];
  return keys.map((key) => ({ ...base, key, objectId: s3ObjectId(key, bucket) }));
}

/** `x-amz-copy-source` is `bucket/key` or `/bucket/key`, URL-encoded, maybe with `?versionId=`. */
function copySourceUri(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const path = decodeURIComponent(value.replace(/^\//, '').split('?')[0] ?? '');
  const cut = path.indexOf('/');
  return cut > 0 ? `s3://${path.slice(0, cut)}/${path.slice(cut + 1)}` : undefined;
}

function base64ToHex(value: string | undefined): string | undefined {
  if (!value || !/^[A-Za-z0-9+/]{43}=$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('hex');
}
