import { reject } from './shape.ts';

/** One statement of an IAM or bucket policy, as much of it as Tourniquet judges. */
export interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

/**
 * The statements of a policy document as CloudTrail records it: an object (S3 `bucketPolicy`) or
 * JSON text (IAM `policyDocument`). AWS accepted the policy, so a document we cannot read means the
 * event is not what it claims: it is rejected rather than guessed at.
 */
export function statements(document: unknown, where: string): Statement[] {
  let value = document;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      reject(`${where} is not a readable JSON policy document`);
    }
  }
  const list =
    typeof value === 'object' && value !== null ? (value as { Statement?: unknown }).Statement : undefined;
  const all = Array.isArray(list) ? list : list === undefined ? [] : [list];
  if (list === undefined || !all.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
    reject(`${where} has no readable "Statement"`);
  }
  return all as Statement[];
}

/** A policy element that may be one string or a list of them (`"Action": "*"` or `["s3:*"]`). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
