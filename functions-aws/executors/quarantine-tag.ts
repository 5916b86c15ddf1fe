import type { S3Client, Tag } from '@aws-sdk/client-s3';
import { describeError, TransientError } from '../../core/errors.ts';
import { quarantineSid } from '../../packs/aws/policies.ts';
import { type BucketAccess, deleteTags, putTags, statementsOf } from './bucket-access.ts';
import { sameJson } from './same-json.ts';

/** User tags a bucket may carry; `aws:` system tags do not count against it (S3 User Guide, tagging). */
export const MAX_BUCKET_TAGS = 50;
const SYSTEM_PREFIX = 'aws:';

/** What became of the quarantine tag: it is a label for humans, so it never decides an outcome. */
export type TagResult = { tagged: boolean; changed: boolean; tagReason?: string };
export type TagChange = 'restored' | 'deleted' | 'unchanged' | 'failed';

/**
 * Adds the quarantine tag, best effort. `PutBucketTagging` replaces the whole set, so the bucket's
 * own tags go back with it, `aws:` system tags (CloudFormation's `aws:cloudformation:*`) verbatim:
 * since September 2018 S3 requires the extant system tags in the set (leaving them out is
 * `InvalidTag` "System Tags cannot be removed by requester") and refuses new `aws:` keys (Cloud
 * Custodian #2861, terraform-provider-aws #7342). A set without them is never sent: were S3 to take
 * it, the system tags would be gone for good (no caller may write `aws:` keys). Whatever S3 answers
 * (InvalidTag, AccessDenied, a bucket with ABAC on, throttling) the quarantine stands untagged.
 */
export async function tagBestEffort(
  s3: S3Client,
  bucket: string,
  before: BucketAccess,
  tag: Tag,
): Promise<TagResult> {
  if (hasTag(before.tags, tag)) return { tagged: true, changed: false };
  if (before.tagsUnreadable) return untagged(`the tag set could not be read: ${before.tagsUnreadable}`);
  const tags = [...(before.tags ?? []).filter((t) => t.Key !== tag.Key), tag];
  const own = tags.filter((t) => !t.Key?.startsWith(SYSTEM_PREFIX)).length;
  if (own > MAX_BUCKET_TAGS) {
    return untagged(`the bucket already has ${own - 1} tags and S3 allows ${MAX_BUCKET_TAGS}`);
  }
  try {
    await putTags(s3, bucket, tags);
    return { tagged: true, changed: true };
  } catch (error) {
    return untagged(`S3 refused the tag set: ${describeError(error)}`);
  }
}

/**
 * Takes the quarantine tag off again, only if Tourniquet's value is still the one on the bucket.
 * A value it replaced comes back, unless that value was another incident's quarantine tag whose
 * statement has been released since (the bucket must not claim a quarantine that is over).
 * Throttling and timeouts are thrown, so the release is retried; other refusals leave the tag.
 */
export async function untagBestEffort(
  s3: S3Client,
  bucket: string,
  before: BucketAccess,
  now: BucketAccess,
  tag: Tag,
): Promise<{ tags: TagChange; tagReason?: string }> {
  if (now.tagsUnreadable && now.tagsTransient)
    throw new TransientError(`the tag set could not be read: ${now.tagsUnreadable}`);
  if (now.tagsUnreadable) return { tags: 'unchanged', tagReason: `tags not read: ${now.tagsUnreadable}` };
  if (!now.tags || !hasTag(now.tags, tag)) return { tags: 'unchanged' };
  const replaced = before.tags?.find((t) => t.Key === tag.Key);
  const keep = replaced && !releasedQuarantine(replaced.Value, before.policy, now.policy);
  const wanted = [...now.tags.filter((t) => t.Key !== tag.Key), ...(keep ? [replaced] : [])];
  try {
    if (wanted.length === 0) {
      await deleteTags(s3, bucket);
      return { tags: 'deleted' };
    }
    // Nothing else changed meanwhile: the recorded set goes back as it was, order included.
    const same = !!before.tags && sameTagSet(wanted, before.tags);
    await putTags(s3, bucket, same && before.tags ? before.tags : wanted);
    return { tags: 'restored' };
  } catch (error) {
    // Release restores exactly: a transient failure is retried (the rest of the release is
    // idempotent); only what S3 refuses for good leaves the tag, said in the outcome.
    if (error instanceof TransientError) throw error;
    return { tags: 'failed', tagReason: `the tag ${tag.Key}=${tag.Value} stays: ${describeError(error)}` };
  }
}

function untagged(tagReason: string): TagResult {
  return { tagged: false, changed: false, tagReason };
}

function hasTag(tags: Tag[] | null | undefined, tag: Tag): boolean {
  return !!tags?.some((t) => t.Key === tag.Key && t.Value === tag.Value);
}

/** The value named an incident whose quarantine statement was there before and is gone now. */
function releasedQuarantine(value: string | undefined, before: string | null, now: string | null): boolean {
  if (!value) return false;
  const sid = quarantineSid(value);
  const has = (policy: string | null) => !!policy && statementsOf(policy).some((s) => s.Sid === sid);
  return has(before) && !has(now);
}

function sameTagSet(a: Tag[], b: Tag[]): boolean {
  const text = (tags: Tag[]) => tags.map((t) => `${t.Key}\u0000${t.Value}`).sort();
  return sameJson(text(a), text(b));
}
