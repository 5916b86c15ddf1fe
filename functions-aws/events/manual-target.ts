import type { Alert, ResourceRef } from '../../core/alert.ts';
import type { ManualTarget } from '../../core/manual-command.ts';
import { bucketFromArn, parseObjectUri } from '../../packs/aws/names.ts';
import { principalFromArn } from './principal.ts';
import { ResourceList } from './resources.ts';
import { reject, show } from './shape.ts';

/**
 * A responder's explicit target (`tourniquet contain --principal … --bucket …`) → one alert of type
 * `Manual`, severity 10, keyed by the incident id. The principal ARN is taken as certain: a human
 * named it. Buckets may be given as names or ARNs, objects as `s3://bucket/key`; anything invalid
 * rejects the target, nothing is dropped silently. Access keys belong to the principal, which must
 * then be an IAM user.
 */
export function manualAlert(target: ManualTarget, meta: { incidentId: string; now: Date }): Alert {
  if (!target.principal) {
    reject('a by-hand target needs "principal" (an IAM role or user ARN): it names the account to act in');
  }
  const principal = principalFromArn(target.principal, 'target.principal');
  const resources = new ResourceList();
  for (const store of target.stores) resources.bucket(bucketFromArn(store) ?? store, 'target.stores entry');
  for (const uri of target.objects) {
    const object = parseObjectUri(uri);
    if (!object)
      reject(`target.objects entry ${show(uri)} is not s3://<bucket>/<key> with a valid bucket and key`);
    resources.object(resources.bucket(object.bucket, 'target.objects bucket'), object.key);
  }
  const keys: ResourceRef[] = target.accessKeyIds.map((id) => ({
    kind: 'access-key',
    id,
    parent: principal.id,
  }));
  if (keys.length && principal.kind !== 'user') {
    reject(`target.accessKeyIds need an IAM user principal (the keys' owner), not ${show(principal.id)}`);
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
    account: principal.account,
    principal,
    resources: resources.refs,
    sample: false,
    context: {},
  };
}
