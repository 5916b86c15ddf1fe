import type { S3Client, Tag } from '@aws-sdk/client-s3';
import type { QuarantineBucket } from '../../core/aws/actions.ts';
import { QUARANTINE_SID, removeStatement } from '../../core/aws/policies.ts';
import type { Applied, ExecContext } from '../../core/executor.ts';
import type { ClientsFor } from '../clients.ts';
import {
  type BucketAccess,
  deletePolicy,
  deletePublicAccessBlock,
  deleteTags,
  putPolicy,
  putPublicAccessBlock,
  putTags,
  readBucketAccess,
  statementsOf,
} from './bucket-access.ts';
import { sameJson } from './same-json.ts';

type Change = 'restored' | 'deleted' | 'unchanged';

/**
 * Lifts a quarantine from the recorded before-state: removes our statement (by Sid) from the
 * *current* policy, so changes others made meanwhile survive, and puts the recorded text back
 * verbatim when nothing else changed; restores the recorded public access block; takes our tag off
 * (giving back a value it replaced). "None before" means delete.
 */
export async function unquarantineBucket(
  clients: ClientsFor,
  action: QuarantineBucket,
  before: BucketAccess,
  ctx: ExecContext,
): Promise<Applied> {
  const { bucket, tag } = action.params;
  const { s3 } = await clients(action.account, ctx.incidentId);
  const now = await readBucketAccess(s3, bucket);
  // The block comes off first: a recorded public policy could not be put back under BlockPublicPolicy.
  const publicAccessBlock = await restorePublicAccessBlock(s3, bucket, before, now);
  const [policy, tags] = await Promise.all([
    restorePolicy(s3, bucket, before, now),
    restoreTags(s3, bucket, before.tags, now.tags, tag.Key),
  ]);
  const changes = { policy, publicAccessBlock, tags };
  const changed = Object.values(changes).some((c) => c !== 'unchanged');
  return { outcome: changed ? 'applied' : 'already-applied', details: changes };
}

async function restorePublicAccessBlock(
  s3: S3Client,
  bucket: string,
  before: BucketAccess,
  now: BucketAccess,
): Promise<Change> {
  if (before.publicAccessBlock === null) {
    if (now.publicAccessBlock === null) return 'unchanged';
    await deletePublicAccessBlock(s3, bucket);
    return 'deleted';
  }
  if (now.publicAccessBlock && sameJson(now.publicAccessBlock, before.publicAccessBlock)) return 'unchanged';
  await putPublicAccessBlock(s3, bucket, before.publicAccessBlock);
  return 'restored';
}

async function restorePolicy(s3: S3Client, bucket: string, before: BucketAccess, now: BucketAccess) {
  if (now.policy === null || !statementsOf(now.policy).some((s) => s.Sid === QUARANTINE_SID)) {
    return 'unchanged';
  }
  const rest = removeStatement(now.policy, QUARANTINE_SID);
  if (rest === undefined) {
    await deletePolicy(s3, bucket);
    return 'deleted';
  }
  const untouched = before.policy !== null && sameJson(rest, before.policy);
  await putPolicy(s3, bucket, untouched ? (before.policy as string) : rest);
  return 'restored';
}

async function restoreTags(
  s3: S3Client,
  bucket: string,
  before: Tag[] | null,
  now: Tag[] | null,
  key: string | undefined,
): Promise<Change> {
  if (!now?.some((t) => t.Key === key)) return 'unchanged';
  const replaced = before?.find((t) => t.Key === key);
  const wanted = [...now.filter((t) => t.Key !== key), ...(replaced ? [replaced] : [])];
  if (wanted.length === 0) {
    await deleteTags(s3, bucket);
    return 'deleted';
  }
  // Nothing else changed meanwhile: the recorded set goes back as it was, order included.
  const same = !!before && sameTagSet(wanted, before);
  await putTags(s3, bucket, same && before ? before : wanted);
  return 'restored';
}

function sameTagSet(a: Tag[], b: Tag[]): boolean {
  const text = (tags: Tag[]) => tags.map((t) => `${t.Key}\u0000${t.Value}`).sort();
  return sameJson(text(a), text(b));
}
