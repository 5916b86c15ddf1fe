import { isBucketName } from '../../core/names.ts';

/**
 * AWS ids as Tourniquet writes them: object keys and `s3://` URIs, bucket ARNs, path-less IAM
 * ARNs, assumed-role session ARNs. Anything that fails here never reaches a policy: parsers reject
 * the event.
 */

/** An S3 object key as S3 accepts it: 1–1024 bytes of UTF-8, no control characters. */
export function isObjectKey(value: string): boolean {
  if (value.length === 0 || new TextEncoder().encode(value).length > 1024) return false;
  return ![...value].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f');
}

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` → its parts, or undefined. */
export function parseAssumedRoleArn(
  value: string,
): { account: string; role: string; session: string } | undefined {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{2,64})$/.exec(value);
  if (!m) return undefined;
  return { account: m[1] ?? '', role: m[2] ?? '', session: m[3] ?? '' };
}

/** The path-less canonical ARN used for principals everywhere in the core. */
export function canonicalIamArn(account: string, type: 'user' | 'role', name: string): string {
  return `arn:aws:iam::${account}:${type}/${name}`;
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function bucketFromArn(arn: string): string | undefined {
  const name = arn.startsWith('arn:aws:s3:::') ? arn.slice('arn:aws:s3:::'.length) : undefined;
  return name !== undefined && isBucketName(name) ? name : undefined;
}

export function objectUri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** `s3://bucket/key` → parts; undefined for anything that is not a valid bucket and key. */
export function parseObjectUri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/s.exec(uri);
  if (!m?.[1] || !m[2] || !isBucketName(m[1]) || !isObjectKey(m[2])) return undefined;
  return { bucket: m[1], key: m[2] };
}

/** Names AWS reserves for service-linked roles: no inline policy may be put on them. */
export function isServiceLinkedRoleName(name: string): boolean {
  return name.startsWith('AWSServiceRoleFor');
}
