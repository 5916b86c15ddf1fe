import { containerId } from '../../../core/detect/assets.ts';
import {
  type LogFormat,
  malformed,
  num,
  obj,
  parseObject,
  str,
  time,
} from '../../../core/detect/formats/log-format.ts';
import { memo, scoped } from '../../../core/detect/memo.ts';
import { entraPrincipal, ipPrincipal, sasPrincipal, stripPort } from '../../../core/detect/principals.ts';
import type { ObjectAccess, StoreRef } from '../../../core/detect/records.ts';
import { storageAccountIdOf, subscriptionOf } from './azure-ids.ts';

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
  sniff: ({ firstObject: line }) =>
    typeof line?.category === 'string' && /^Storage(Read|Write|Delete)$/.test(line.category),
  documentation: 'https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference',
  open: () => (line) => {
    const e = parseObject(line);
    const resourceId = str(e.resourceId) ?? malformed('no resourceId');
    const operation = str(e.operationName) ?? malformed('no operationName');
    const op = OPS[operation];
    const status = num(e.statusCode);
    if (!op || status === undefined || status >= 300) return [];
    const { origin, host, path, base } = splitUri(str(e.uri) ?? malformed('no uri'));
    const { container, blob, objectPath } = blobPath(path);
    if (!container || !blob) return [];
    const store =
      containerOf(resourceId, host, container) ?? malformed('resourceId is not a storage account');
    const subscription = store.subscription;
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
      region: str(e.location),
      at: time(e.time),
      principal: caller(obj(e.identity), subscription, ip),
      store: store.ref,
      key: blob,
      // A plain path is its own encoding: the id is the URI without its query, no new text.
      objectId: objectPath === path ? base : `${origin}/${objectPath}`,
      bytes: num(op === 'read' ? props.responseBodySize : props.requestBodySize) ?? 0,
      network: ip ? { ip } : {},
      checksums: md5 || etag ? { md5, etag } : undefined,
      copySource: op === 'copy' && source ? source.split('?')[0] : undefined,
      sourceId: str(e.correlationId) ?? '',
    };
    // An unauthenticated request: `identity.type` Anonymous (StorageBlobLogs AuthenticationType).
    if (str(obj(e.identity)?.type) === 'Anonymous') record.anonymous = true;
    return [record];
  },
};

/**
 * Container, blob name (decoded) and the path as the object id spells it (each segment encoded).
 * A path of characters URI encoding leaves alone (almost all) is all three as it stands.
 */
function blobPath(path: string): { container: string; blob: string; objectPath: string } {
  if (PLAIN_PATH.test(path)) {
    const cut = path.indexOf('/');
    return cut < 0
      ? { container: path, blob: '', objectPath: path }
      : { container: path.slice(0, cut), blob: path.slice(cut + 1), objectPath: path };
  }
  const [container = '', ...rest] = decodeURIComponent(path).split('/');
  return {
    container,
    blob: rest.join('/'),
    objectPath: `${container}/${rest.map(encodeURIComponent).join('/')}`,
  };
}

/** Characters encodeURIComponent keeps as they are, and the separator. */
const PLAIN_PATH = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/** The container as a store (and its subscription), one object per container: lines repeat them. */
const containerStore = memo((key) => {
  const [resourceId = '', host = '', container = ''] = key.split('|');
  const accountId = storageAccountIdOf(resourceId);
  const subscription = subscriptionOf(resourceId);
  if (!accountId || !subscription) return null;
  const ref: StoreRef = {
    id: containerId(accountId, container),
    kind: 'container',
    name: `${host.split('.')[0]}/${container}`,
    storageAccountId: accountId,
  };
  return { ref, subscription };
});

type LastContainer = {
  resourceId: string;
  host: string;
  container: string;
  store: ReturnType<typeof containerStore>;
};
const lastContainer = scoped(() => ({
  last: { resourceId: '', host: '', container: '', store: null } as LastContainer,
}));

/** containerStore, without building its key while the lines name the same container (a file's do). */
function containerOf(resourceId: string, host: string, container: string) {
  const slot = lastContainer();
  const last = slot.last;
  if (resourceId !== last.resourceId || host !== last.host || container !== last.container)
    slot.last = { resourceId, host, container, store: containerStore(`${resourceId}|${host}|${container}`) };
  return slot.last.store;
}

function caller(identity: Record<string, unknown> | undefined, subscription: string, ip: string) {
  const type = str(identity?.type) ?? '';
  if (type === 'OAuth') {
    const requester = obj(identity?.requester) ?? {};
    const objectId = str(requester.objectId);
    const principals = (
      identity?.authorization as { principals?: { id?: string; type?: string }[] }[] | undefined
    )?.[0]?.principals;
    const kind = principals?.find((p) => p.id === objectId)?.type;
    if (objectId) return entraPrincipal(objectId, str(requester.tenantId) ?? subscription, kind);
  }
  const sas = /SasSignature\(([0-9A-F]+)\)/i.exec(str(identity?.tokenHash) ?? '')?.[1];
  if (sas) return sasPrincipal(sas.toUpperCase(), subscription);
  if (!ip) malformed('no caller identity and no caller address');
  return ipPrincipal(ip, subscription);
}

/** `https://host/path?query` → parts, by hand: `new URL` costs more than the rest of the line. */
function splitUri(uri: string): { origin: string; host: string; path: string; base: string } {
  const scheme = uri.indexOf('://');
  const slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
  if (slash < 0) malformed(`not a blob URI: ${uri.slice(0, 80)}`);
  const query = uri.indexOf('?', slash);
  return {
    origin: uri.slice(0, slash),
    host: uri.slice(scheme + 3, slash),
    path: uri.slice(slash + 1, query < 0 ? undefined : query),
    base: query < 0 ? uri : uri.slice(0, query),
  };
}
