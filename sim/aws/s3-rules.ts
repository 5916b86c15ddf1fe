import { S3ServiceException, type Tag } from '@aws-sdk/client-s3';

/* S3's own rules as the simulator (sim/aws/s3.ts) applies them: its errors, tag-set checks, "public". */

/** An SDK error as the S3 client builds it from an XML error response (name = Code). */
export function s3Error(code: string, status: number, message = code): S3ServiceException {
  return new S3ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

/** S3's checks on a new bucket tag set against the current one (all answer 400 InvalidTag). */
export function checkTagSet(current: Tag[], next: Tag[]): Tag[] {
  const system = (tags: Tag[]) => tags.filter((t) => t.Key?.startsWith('aws:'));
  const wanted = new Map(system(next).map((t) => [t.Key, t.Value]));
  if (system(current).some((t) => wanted.get(t.Key) !== t.Value)) {
    throw s3Error('InvalidTag', 400, 'System Tags cannot be removed by requester');
  }
  if (wanted.size > system(current).length)
    throw s3Error('InvalidTag', 400, 'Your TagKey cannot be prefixed with aws:');
  if (next.length - wanted.size > 50) throw s3Error('InvalidTag', 400, 'Bucket tag count cannot exceed 50');
  return next;
}

export function parseTagging(tagging: string | undefined): Tag[] {
  return [...new URLSearchParams(tagging ?? '')].map(([Key, Value]) => ({ Key, Value }));
}

/** Simplified "is public" test (S3 User Guide, "The meaning of public"): an unconditioned Allow to everyone. */
export function isPublic(policy: string): boolean {
  const statements = [JSON.parse(policy).Statement].flat() as Record<string, unknown>[];
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      !s.Condition &&
      (s.Principal === '*' || (s.Principal as { AWS?: unknown } | undefined)?.AWS === '*'),
  );
}
