/**
 * Validators for the names that end up inside policy documents and API calls. Anything that fails
 * here never reaches a policy: parsers reject the event, config parsing rejects the file.
 */

const ACCOUNT = /^\d{12}$/;
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;
const IAM_PATH = /^\/(?:[\w+=,.@-]+\/)*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAccountId(value: string): boolean {
  return ACCOUNT.test(value);
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** General-purpose S3 bucket naming rules (S3 User Guide, "Bucket naming rules"). */
export function isBucketName(value: string): boolean {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return false;
  if (value.includes('..') || value.includes('.-') || value.includes('-.')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(value)) return false;
  return !/(-s3alias|--ol-s3|\.mrap)$/.test(value);
}

/** An S3 object key as S3 accepts it: 1–1024 bytes of UTF-8, no control characters. */
export function isObjectKey(value: string): boolean {
  if (value.length === 0 || new TextEncoder().encode(value).length > 1024) return false;
  return ![...value].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f');
}

export type IamArn =
  | { type: 'root'; account: string; arn: string }
  | { type: 'user' | 'role'; account: string; path: string; name: string; arn: string };

/**
 * Parses an IAM user, role or root ARN in the `aws` partition; anything else returns undefined.
 * Other partitions (aws-cn, aws-us-gov) are refused: this deployment only acts in `aws`.
 */
export function parseIamArn(value: string): IamArn | undefined {
  const m = /^arn:aws:iam::(\d{12}):(root|user|role)(\/.*)?$/.exec(value);
  if (!m) return undefined;
  const [, account = '', type, rest] = m;
  if (type === 'root') return rest === undefined ? { type, account, arn: value } : undefined;
  if (!rest) return undefined;
  const cut = rest.lastIndexOf('/');
  const path = rest.slice(0, cut + 1);
  const name = rest.slice(cut + 1);
  if (!IAM_PATH.test(path) || !IAM_NAME.test(name) || name.length > 64) return undefined;
  return { type: type as 'user' | 'role', account, path, name, arn: value };
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
