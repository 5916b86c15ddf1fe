import { containerId } from '../assets.ts';
import { entraPrincipal, ipPrincipal, sasPrincipal, stripPort } from '../principals.ts';
import type { ObjectAccess } from '../records.ts';
import { storageAccountIdOf, subscriptionOf } from './azure-ids.ts';
import { type LogFormat, malformed, num, obj, parseObject, str, time } from './log-format.ts';

const OPS: Record<string, ObjectAccess['op']> = {
  GetBlob: 'read',
  PutBlob: 'write',
  PutBlockList: 'write',
  CopyBlob: 'copy',
  CopyBlobFromURL: 'copy',
  PutBlobFromURL: 'copy',
  DeleteBlob: 'delete',
};

/**
 * Azure Storage blob resource logs as archived to a storage account (`insights-logs-storageread`,
 * `…storagewrite`, `…storagedelete`): one JSON record per line (Azure Blob Storage monitoring data
 * reference, "Resource logs"; StorageBlobLogs columns). The caller is the OAuth requester's object
 * id, the SAS signature hash from `identity.tokenHash`, or the address for keys and anonymous access.
 */
export const azureStorageLogFormat: LogFormat = {
  name: 'azure-storage',
  cloud: 'azure',
  framing: 'lines',
  documentation: 'https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference',
  open: () => (line) => {
    const e = parseObject(line);
    const resourceId = str(e.resourceId) ?? malformed('no resourceId');
    const operation = str(e.operationName) ?? malformed('no operationName');
    const op = OPS[operation];
    const status = num(e.statusCode);
    if (!op || status === undefined || status >= 300) return [];
    const uri = new URL(str(e.uri) ?? malformed('no uri'));
    const [container = '', ...rest] = decodeURIComponent(uri.pathname.slice(1)).split('/');
    const blob = rest.join('/');
    const accountId = storageAccountIdOf(resourceId) ?? malformed('resourceId is not a storage account');
    const subscription = subscriptionOf(resourceId) ?? malformed('no subscription in resourceId');
    if (!container || !blob) return [];
    const props = obj(e.properties) ?? {};
    const ip = stripPort(str(e.callerIpAddress) ?? '');
    const md5 = str(props.serverMd5) ?? str(props.requestMd5);
    const etag = str(props.etag);
    const source = str(props.sourceUri) ?? str(e.sourceUri);
    const record: ObjectAccess = {
      kind: 'object-access',
      op,
      cloud: 'azure',
      account: subscription,
      ...(str(e.location) ? { region: str(e.location) } : {}),
      at: time(e.time),
      principal: caller(obj(e.identity), subscription, ip),
      store: {
        id: containerId(accountId, container),
        kind: 'container',
        name: `${uri.hostname.split('.')[0]}/${container}`,
        storageAccountId: accountId,
      },
      key: blob,
      objectId: `${uri.origin}/${container}/${rest.map(encodeURIComponent).join('/')}`,
      bytes: num(op === 'read' ? props.responseBodySize : props.requestBodySize) ?? 0,
      network: ip ? { ip } : {},
      ...(md5 || etag ? { checksums: { ...(md5 ? { md5 } : {}), ...(etag ? { etag } : {}) } } : {}),
      ...(op === 'copy' && source ? { copySource: source.split('?')[0] } : {}),
      sourceId: str(e.correlationId) ?? '',
    };
    return [record];
  },
};

function caller(identity: Record<string, unknown> | undefined, subscription: string, ip: string) {
  const type = str(identity?.type) ?? '';
  if (type === 'OAuth') {
    const requester = obj(identity?.requester) ?? {};
    const objectId = str(requester.objectId);
    const principals = (
      identity?.authorization as { principals?: { id?: string; type?: string }[] }[] | undefined
    )?.[0]?.principals;
    const kind = principals?.find((p) => p.id === objectId)?.type;
    if (objectId) return entraPrincipal(objectId, str(requester.tenantId) ?? subscription, kind, ip);
  }
  const sas = /SasSignature\(([0-9A-F]+)\)/i.exec(str(identity?.tokenHash) ?? '')?.[1];
  if (sas) return sasPrincipal(sas.toUpperCase(), subscription, ip || undefined);
  if (!ip) malformed('no caller identity and no caller address');
  return ipPrincipal(ip, subscription);
}
