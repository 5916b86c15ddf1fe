import type { Alert, PrincipalKind, PrincipalRef, ResourceRef } from '../../core/alert.ts';
import type { ManualTarget } from '../../core/manual-command.ts';
import { isGuid } from '../../core/names.ts';
import {
  blobUrl,
  containerResourceId,
  parseBlobUrl,
  parseContainerResourceId,
  parseStorageAccountId,
} from '../../packs/azure/names.ts';
import { reject } from './fields.ts';

const KINDS: Record<string, PrincipalKind> = {
  sp: 'service-principal',
  mi: 'managed-identity',
  user: 'entra-user',
};

/**
 * A responder's explicit Azure target → one `manual` alert. The principal says what it is
 * (`sp:<object id>`, `mi:<object id>`, `user:<object id>`) because an object id alone does not;
 * stores are storage account or container resource ids, objects are blob URLs. The first store's
 * subscription is the alert's, so at least one store is needed.
 */
export function manualAzureAlert(target: ManualTarget, meta: { incidentId: string; now: Date }): Alert {
  if (target.accessKeyIds.length) reject('accessKeyIds are AWS access keys: an Azure target has none');
  const stores: ResourceRef[] = target.stores.map((s, i) => {
    const account = parseStorageAccountId(s);
    if (account) return { kind: 'storage-account', id: account.id };
    const container = parseContainerResourceId(s);
    if (container)
      return { kind: 'container', id: containerResourceId(container.account.id, container.container) };
    return reject(`stores[${i}] must be a storage account or container resource id`);
  });
  const objects: ResourceRef[] = target.objects.map((o, i) => {
    const blob = parseBlobUrl(o);
    return blob
      ? { kind: 'blob', id: blobUrl(blob.account, blob.container, blob.blob) }
      : reject(`objects[${i}] must be a blob URL`);
  });
  const first = stores[0];
  if (!first) {
    return reject(
      'an Azure target needs at least one store (a storage account or container resource id): it names the subscription',
    );
  }
  const subscription = (/^\/subscriptions\/([^/]+)/.exec(first.id)?.[1] ?? '').toLowerCase();
  return {
    id: meta.incidentId,
    dedupeKey: `azure:manual:${meta.incidentId}`,
    cloud: 'azure',
    source: 'manual',
    type: 'manual',
    severity: 10,
    observedAt: meta.now.toISOString(),
    account: subscription,
    principal: target.principal ? principalOf(target.principal, subscription) : null,
    resources: [...stores, ...objects],
    sample: false,
    title: `manual containment ${meta.incidentId}`,
    context: {},
  };
}

function principalOf(value: string, subscription: string): PrincipalRef {
  const m = /^(sp|mi|user):(.+)$/.exec(value);
  const kind = m?.[1] ? KINDS[m[1]] : undefined;
  if (!kind || !m?.[2] || !isGuid(m[2])) {
    return reject(
      'principal must be "sp:<object id>", "mi:<object id>" or "user:<object id>" (an Entra object id says nothing of its kind)',
    );
  }
  return { id: m[2].toLowerCase(), kind, account: subscription, aliases: [], certain: true };
}
