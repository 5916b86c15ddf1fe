import type { Alert, PrincipalRef } from '../../core/alert.ts';
import { isGuid } from '../../core/names.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import {
  blobUrl,
  containerResourceId,
  isBlobName,
  isContainerName,
  parseBlobUrl,
  parseStorageAccountId,
} from '../../packs/azure/names.ts';
import type { Envelope } from './envelope.ts';
import { optStr, reject, str } from './fields.ts';

/** Severity of each blob event type: a deletion or tier change of weights can be an attack. */
const SEVERITY: Record<string, number> = {
  'Microsoft.Storage.BlobCreated': 3,
  'Microsoft.Storage.BlobDeleted': 7,
  'Microsoft.Storage.BlobTierChanged': 7,
};

/**
 * Blob Storage events (MicrosoftDocs/azure-docs articles/event-grid/event-schema-blob-storage.md).
 * The topic must be a storage account, the subject a blob in it, and `data.url` must name the same
 * account, container and blob: an event whose parts disagree is forged or corrupt. The caller is
 * in `data.identity` when Storage reports it (an object id, or `$superuser` for Shared Key / SAS).
 */
export function parseBlobEvent(e: Envelope, path: string): ParsedEvent {
  const severity = SEVERITY[e.type];
  if (severity === undefined) return { kind: 'ignored', reason: `${e.type} is not used by Tourniquet` };
  const account =
    parseStorageAccountId(e.topic) ?? reject(`${path} topic must be a storage account resource id`);
  const m = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/s.exec(e.subject);
  if (!m?.[1] || !m[2] || !isContainerName(m[1]) || !isBlobName(m[2])) {
    return reject(`${path}.subject must be /blobServices/default/containers/<container>/blobs/<blob>`);
  }
  const [container, blob] = [m[1], m[2]];
  const url = str(e.data.url, `${path}.data.url`, 4096).replace(
    /\.dfs\.core\.windows\.net\//,
    '.blob.core.windows.net/',
  );
  const parsed = parseBlobUrl(url);
  if (!parsed || parsed.account !== account.name || parsed.container !== container || parsed.blob !== blob) {
    return reject(`${path}.data.url does not name the blob in the subject and topic`);
  }
  const identity = optStr(e.data.identity, `${path}.data.identity`, 256);
  const context: Record<string, unknown> = { api: optStr(e.data.api, `${path}.data.api`, 64) ?? 'unknown' };
  for (const key of ['eTag', 'blobType', 'accessTier', 'previousTier'] as const) {
    const value = optStr(e.data[key], `${path}.data.${key}`, 128);
    if (value) context[key] = value;
  }
  if (typeof e.data.contentLength === 'number') context.contentLength = e.data.contentLength;
  const alert: Alert = {
    id: e.id,
    dedupeKey: `azure:eventgrid:${account.subscriptionId}:${e.id}`,
    cloud: 'azure',
    source: 'eventgrid',
    type: e.type,
    severity,
    observedAt: e.time,
    account: account.subscriptionId,
    principal: identity ? storageCaller(identity, account.subscriptionId) : null,
    resources: [
      { kind: 'container', id: containerResourceId(account.id, container) },
      {
        kind: 'blob',
        id: blobUrl(account.name, container, blob),
        parent: containerResourceId(account.id, container),
      },
    ],
    sample: false,
    title: `${e.type.replace('Microsoft.Storage.', '')} ${container}/${blob}`,
    context,
  };
  return { kind: 'alerts', alerts: [alert] };
}

/**
 * Storage names the caller by object id (Entra) or `$superuser` (account key or SAS). Neither says
 * what kind of principal it is, so neither is certain enough to revoke.
 */
function storageCaller(identity: string, subscription: string): PrincipalRef {
  const id = isGuid(identity) ? identity.toLowerCase() : identity === '$superuser' ? 'shared-key' : identity;
  return {
    id,
    kind: 'unknown',
    account: subscription,
    aliases: [{ type: isGuid(identity) ? 'principal-id' : 'sas', value: identity }],
    certain: false,
  };
}
