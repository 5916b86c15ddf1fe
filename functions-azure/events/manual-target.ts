import type { Alert, PrincipalKind, PrincipalRef, ResourceRef } from '../../core/alert.ts';
import type { ManualTarget, TargetMeta } from '../../core/manual-command.ts';
import { isGuid } from '../../core/names.ts';
import { assetByAccountName, isEvidenceAccount } from '../../packs/azure/assets.ts';
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
 * subscription is the alert's, so at least one store is needed. A store that is not a configured
 * asset is refused with the fix, or, with `forceUnlisted`, acted on (a container: an unlisted
 * account's containers are unknown) and recorded in the journaled alert.
 */
export function manualAzureAlert(target: ManualTarget, meta: TargetMeta): Alert {
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
  const unlisted = unlistedStores(stores, target, meta);
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
    context: unlisted.length ? { forceUnlisted: unlisted } : {},
  };
}

/** Container ids of the stores that are not configured assets: refused unless forced. */
function unlistedStores(stores: readonly ResourceRef[], target: ManualTarget, meta: TargetMeta): string[] {
  const unlisted: ResourceRef[] = [];
  for (const store of stores) {
    const container = store.kind === 'container' ? parseContainerResourceId(store.id) : undefined;
    const account = container?.account ?? parseStorageAccountId(store.id);
    if (!account) continue;
    if (isEvidenceAccount(meta.config, account.name))
      reject(`${account.name} holds the evidence: Tourniquet never quarantines or snapshots it`);
    const asset = assetByAccountName(meta.config, account.name);
    if (!asset || (container && !asset.containers.includes(container.container))) unlisted.push(store);
  }
  if (!unlisted.length) return [];
  const names = unlisted.map((s) => s.id).join(', ');
  if (!target.forceUnlisted) {
    reject(
      `${names} ${unlisted.length === 1 ? 'is not a configured asset' : 'are not configured assets'} (azure.assets), so containment would skip ${unlisted.length === 1 ? 'it' : 'them'}: ` +
        'add it to azure.assets, or act anyway with forceUnlisted (CLI: --force-unlisted); the reason is journaled with the incident',
    );
  }
  const accounts = unlisted.filter((s) => s.kind !== 'container');
  if (accounts.length)
    reject(
      `forceUnlisted needs container resource ids (…/blobServices/default/containers/NAME): the containers of ${accounts.map((s) => s.id).join(', ')} are not configured`,
    );
  return unlisted.map((s) => s.id);
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
