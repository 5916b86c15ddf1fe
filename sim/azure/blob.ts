import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import { azureError, type SavedAzure, type SimBlobVersion, type SimContainer } from './state.ts';

interface DelegationKey {
  value: string;
  signedStartsOn: Date;
  signedExpiresOn: Date;
  issuedAt: number;
}

/**
 * Azure Blob Storage for the Azure executors, the Blob journal store and the evidence reader, with
 * the semantics they depend on: conditional writes (`If-None-Match: *` → 409 BlobAlreadyExists,
 * `If-Match` → 412 ConditionNotMet), snapshots that keep the bytes they were taken of, Set
 * Container ACL replacing every stored access policy, user delegation SAS that stop working once
 * the account's delegation keys are revoked (403), server-side copies that keep length and
 * Content-MD5, and the container's immutability flag for the evidence preflight. Shaped as the
 * @azure/storage-blob clients are where the code calls them; nothing else is offered.
 */
export function simulatedBlobService(
  state: () => SavedAzure,
  accountName: string,
  now: () => number = Date.now,
): BlobServiceClient {
  const containerOf = (name: string) => {
    const c = state().containers.find((x) => x.account === accountName && x.name === name);
    if (!c) throw azureError(404, 'ContainerNotFound', `container ${accountName}/${name} does not exist`);
    return c;
  };
  const tick = () => ++state().counter;
  const version = (body: string, size = Buffer.byteLength(body)): SimBlobVersion => ({
    etag: `"0x8DD${tick().toString(16).padStart(12, '0').toUpperCase()}"`,
    contentLength: size,
    contentMD5: createHash('md5').update(body).digest('base64'),
    lastModified: new Date(now()).toISOString(),
    body,
  });

  const blobClient = (container: string, name: string, snapshot?: string): Record<string, unknown> => {
    const url = `https://${accountName}.blob.core.windows.net/${container}/${name.split('/').map(encodeURIComponent).join('/')}`;
    const current = () => {
      const b = containerOf(container).blobs[name];
      const v = snapshot ? b?.snapshots.find((s) => s.snapshot === snapshot) : b;
      if (!v) throw azureError(404, 'BlobNotFound', `blob ${container}/${name} does not exist`);
      return v;
    };
    const props = (v: SimBlobVersion) => ({
      etag: v.etag,
      contentLength: v.contentLength,
      contentMD5: new Uint8Array(Buffer.from(v.contentMD5, 'base64')),
      lastModified: new Date(v.lastModified),
    });
    const copyFrom = (source: string, conditions?: { ifNoneMatch?: string }) => {
      const c = containerOf(container);
      if (conditions?.ifNoneMatch === '*' && c.blobs[name]) throw azureError(409, 'BlobAlreadyExists');
      const from = readSas(state(), source);
      c.blobs[name] = {
        ...from,
        etag: version('').etag,
        lastModified: new Date(now()).toISOString(),
        snapshots: [],
      };
      return { copyStatus: 'success' };
    };
    return {
      name,
      containerName: container,
      url: snapshot ? `${url}?snapshot=${encodeURIComponent(snapshot)}` : url,
      getProperties: async () => props(current()),
      downloadToBuffer: async () => Buffer.from(current().body ?? '', 'utf8'),
      withSnapshot: (s: string) => blobClient(container, name, s),
      async createSnapshot(options?: {
        conditions?: { ifMatch?: string };
        metadata?: Record<string, string>;
      }) {
        const b = containerOf(container).blobs[name];
        if (!b) throw azureError(404, 'BlobNotFound');
        if (options?.conditions?.ifMatch && options.conditions.ifMatch !== b.etag)
          throw azureError(412, 'ConditionNotMet');
        const taken = new Date(now() + tick()).toISOString().replace('Z', '0000Z');
        const { snapshots: _, ...bytes } = b;
        b.snapshots.push({
          ...bytes,
          snapshot: taken,
          ...(options?.metadata ? { metadata: options.metadata } : {}),
        });
        return { snapshot: taken };
      },
      generateUserDelegationSasUrl: async (_options: unknown, key: DelegationKey) =>
        `${url}?snapshot=${encodeURIComponent(snapshot ?? '')}&skoid=simulated&skiat=${key.issuedAt}&sig=${key.value}`,
      syncCopyFromURL: async (source: string, options?: { conditions?: { ifNoneMatch?: string } }) =>
        copyFrom(source, options?.conditions),
      beginCopyFromURL: async (source: string, options?: { conditions?: { ifNoneMatch?: string } }) => {
        const result = copyFrom(source, options?.conditions);
        return { pollUntilDone: async () => result };
      },
      async upload(bytes: Buffer, length: number, options?: { conditions?: { ifNoneMatch?: string } }) {
        const c = containerOf(container);
        if (options?.conditions?.ifNoneMatch === '*' && c.blobs[name])
          throw azureError(409, 'BlobAlreadyExists');
        if (c.immutable && c.blobs[name]) throw azureError(409, 'BlobImmutableDueToPolicy');
        c.blobs[name] = { ...version(bytes.toString('utf8'), length), snapshots: [] };
        return { etag: c.blobs[name]?.etag };
      },
    };
  };

  const containerClient = (name: string) => ({
    containerName: name,
    url: `https://${accountName}.blob.core.windows.net/${name}`,
    getBlobClient: (blob: string) => blobClient(name, blob),
    getBlockBlobClient: (blob: string) => blobClient(name, blob),
    async getProperties() {
      const c = containerOf(name);
      return {
        hasImmutabilityPolicy: c.immutable,
        hasLegalHold: false,
        isImmutableStorageWithVersioningEnabled: false,
      };
    },
    async getAccessPolicy() {
      const c = containerOf(name);
      return {
        ...(c.publicAccess === 'none' ? {} : { blobPublicAccess: c.publicAccess }),
        signedIdentifiers: c.policies.map((p) => ({
          id: p.id,
          accessPolicy: {
            ...(p.startsOn ? { startsOn: new Date(p.startsOn) } : {}),
            ...(p.expiresOn ? { expiresOn: new Date(p.expiresOn) } : {}),
            ...(p.permissions ? { permissions: p.permissions } : {}),
          },
        })),
      };
    },
    async setAccessPolicy(
      access: 'container' | 'blob' | undefined,
      acl: { id: string; accessPolicy: { startsOn?: Date; expiresOn?: Date; permissions?: string } }[] = [],
    ) {
      const c = containerOf(name);
      c.publicAccess = access ?? 'none';
      c.policies = acl.map((s) => ({
        id: s.id,
        ...(s.accessPolicy.startsOn ? { startsOn: s.accessPolicy.startsOn.toISOString() } : {}),
        ...(s.accessPolicy.expiresOn ? { expiresOn: s.accessPolicy.expiresOn.toISOString() } : {}),
        ...(s.accessPolicy.permissions ? { permissions: s.accessPolicy.permissions } : {}),
      }));
      return {};
    },
    async *listBlobsFlat(options: { prefix?: string; includeSnapshots?: boolean } = {}) {
      const c = containerOf(name);
      for (const key of Object.keys(c.blobs).sort()) {
        const b = c.blobs[key];
        if (!b || !key.startsWith(options.prefix ?? '')) continue;
        // As List Blobs with include=snapshots,metadata: a blob's snapshots come before it.
        if (options.includeSnapshots)
          for (const s of b.snapshots)
            yield {
              name: key,
              snapshot: s.snapshot,
              metadata: s.metadata ?? {},
              properties: {
                etag: s.etag,
                contentLength: s.contentLength,
                contentMD5: new Uint8Array(Buffer.from(s.contentMD5, 'base64')),
                lastModified: new Date(s.lastModified),
              },
            };
        yield {
          name: key,
          properties: {
            etag: b.etag,
            contentLength: b.contentLength,
            contentMD5: new Uint8Array(Buffer.from(b.contentMD5, 'base64')),
            lastModified: new Date(b.lastModified),
          },
        };
      }
    },
  });

  const service = {
    accountName,
    url: `https://${accountName}.blob.core.windows.net`,
    /** Not a StorageSharedKeyCredential: SAS are user delegation SAS, as with Entra credentials. */
    credential: { simulated: true },
    getContainerClient: containerClient,
    async getUserDelegationKey(startsOn: Date, expiresOn: Date): Promise<DelegationKey> {
      return {
        value: `simkey${tick()}`,
        signedStartsOn: startsOn,
        signedExpiresOn: expiresOn,
        issuedAt: now(),
      };
    },
  };
  return service as unknown as BlobServiceClient;
}

/** The bytes a user delegation SAS URL gives access to; 403 when its key was revoked after issue. */
function readSas(state: SavedAzure, source: string): SimBlobVersion {
  const url = new URL(source);
  const accountName = url.hostname.split('.')[0] ?? '';
  const [container = '', ...rest] = url.pathname.slice(1).split('/');
  const name = rest.map(decodeURIComponent).join('/');
  const account = state.accounts.find((a) => a.name === accountName);
  const issuedAt = Number(url.searchParams.get('skiat') ?? 0);
  if (account?.delegationKeysRevokedAt !== undefined && issuedAt < account.delegationKeysRevokedAt)
    throw azureError(403, 'AuthenticationFailed', 'the user delegation key that signed this SAS was revoked');
  const blob = state.containers.find((c: SimContainer) => c.account === accountName && c.name === container)
    ?.blobs[name];
  const snapshot = url.searchParams.get('snapshot');
  const v = snapshot ? blob?.snapshots.find((s) => s.snapshot === snapshot) : blob;
  if (!v)
    throw azureError(
      404,
      'CannotVerifyCopySource',
      `copy source ${accountName}/${container}/${name} not found`,
    );
  return {
    etag: v.etag,
    contentLength: v.contentLength,
    contentMD5: v.contentMD5,
    lastModified: v.lastModified,
    ...(v.body !== undefined ? { body: v.body } : {}),
  };
}
