import type { Alert, PrincipalRef, ResourceRef } from '../../core/alert.ts';
import type { ManualTarget, TargetMeta } from '../../core/manual-command.ts';
import { isAccountId } from '../../core/names.ts';
import { awsAsset } from '../../packs/aws/assets.ts';
import { bucketFromArn, parseObjectUri } from '../../packs/aws/names.ts';
import { principalFromArn } from './principal.ts';
import { ResourceList } from './resources.ts';
import { reject, show } from './shape.ts';

/**
 * A responder's explicit target (`tourniquet contain --principal … --bucket …`) → one alert of type
 * `Manual`, severity 10, keyed by the incident id. The principal ARN is taken as certain: a human
 * named it. Without a principal (a bucket-only containment) the target names its account. Buckets
 * may be given as names or ARNs, objects as `s3://bucket/key`; anything invalid rejects the target,
 * nothing is dropped silently — nor is a bucket that is not a configured asset: the target is refused
 * with the fix, or, with `forceUnlisted`, acted on and the fact kept in the journaled alert. Access
 * keys belong to the principal, which must then be an IAM user.
 */
export function manualAlert(target: ManualTarget, meta: TargetMeta): Alert {
  const principal = target.principal ? principalFromArn(target.principal, 'target.principal') : undefined;
  const account = accountOf(target, principal);
  const resources = new ResourceList();
  const buckets: string[] = [];
  for (const store of target.stores)
    buckets.push(resources.bucket(bucketFromArn(store) ?? store, 'target.stores entry'));
  for (const uri of target.objects) {
    const object = parseObjectUri(uri);
    if (!object)
      reject(`target.objects entry ${show(uri)} is not s3://<bucket>/<key> with a valid bucket and key`);
    buckets.push(object.bucket);
    resources.object(resources.bucket(object.bucket, 'target.objects bucket'), object.key);
  }
  const unlisted = unlistedBuckets(buckets, target, meta);
  const keys: ResourceRef[] = target.accessKeyIds.map((id) => ({
    kind: 'access-key',
    id,
    parent: principal?.id,
  }));
  if (keys.length && principal?.kind !== 'user') {
    reject(
      `target.accessKeyIds need an IAM user principal (the keys' owner), not ${show(principal?.id ?? 'none')}`,
    );
  }
  for (const key of keys) resources.add(key);
  return {
    id: meta.incidentId,
    dedupeKey: `aws:manual:${meta.incidentId}`,
    cloud: 'aws',
    source: 'manual',
    type: 'Manual',
    severity: 10,
    observedAt: meta.now.toISOString(),
    account,
    principal: principal ?? null,
    resources: resources.refs,
    sample: false,
    context: unlisted.length ? { forceUnlisted: unlisted } : {},
  };
}

function accountOf(target: ManualTarget, principal: PrincipalRef | undefined): string {
  if (target.account !== undefined && !isAccountId(target.account))
    reject(`target.account ${show(target.account)} is not a 12-digit AWS account id`);
  if (principal && target.account && principal.account !== target.account)
    reject(`target.account ${target.account} is not the principal's account ${principal.account}`);
  const account = principal?.account ?? target.account;
  if (!account) {
    reject(
      'a by-hand target needs "principal" (an IAM role or user ARN) or, to contain buckets alone, "account" (the 12-digit account they are in)',
    );
  }
  if (!principal && !target.stores.length && !target.objects.length)
    reject('a target without a principal needs at least one bucket or object');
  return account;
}

/**
 * The buckets that are not configured assets: refused unless forced. The evidence bucket never
 * is one, forced or not.
 */
function unlistedBuckets(buckets: readonly string[], target: ManualTarget, meta: TargetMeta): string[] {
  const evidence = meta.config.aws?.evidenceBucket;
  if (evidence && buckets.includes(evidence))
    reject(`${evidence} is the evidence bucket: Tourniquet never quarantines or pins it`);
  const unlisted = [...new Set(buckets.filter((b) => !awsAsset(meta.config, b)))];
  if (unlisted.length && !target.forceUnlisted) {
    reject(
      `${unlisted.join(', ')} ${unlisted.length === 1 ? 'is not a configured asset' : 'are not configured assets'} (aws.assets), so containment would skip ${unlisted.length === 1 ? 'it' : 'them'}: ` +
        'add it to aws.assets (and redeploy, so the function role may act on it), or act anyway with forceUnlisted ' +
        '(CLI: --force-unlisted); the reason is journaled with the incident',
    );
  }
  return unlisted;
}
