import { BlobSASPermissions, type BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { azureCall } from '../errors.ts';

/** A read SAS lives long enough for the largest asynchronous copy to finish. */
const SAS_LIFETIME_MS = 6 * 60 * 60 * 1000;

/**
 * Signs read access to blob snapshots for a server-side copy into another account (Copy Blob From
 * URL reads a cross-account source only through a SAS). With Entra credentials that is a user
 * delegation SAS: it never needs an account key, and it must be issued after the quarantine
 * revoked the account's delegation keys. With a Shared Key credential (Azurite, tests) the key
 * signs it. One delegation key serves a whole copy action.
 */
export function snapshotSigner(service: BlobServiceClient, now: () => Date) {
  let key: ReturnType<BlobServiceClient['getUserDelegationKey']> | undefined;
  return async (container: string, blob: string, snapshot: string): Promise<string> => {
    const startsOn = new Date(now().getTime() - 5 * 60 * 1000);
    const expiresOn = new Date(now().getTime() + SAS_LIFETIME_MS);
    const client = service.getContainerClient(container).getBlobClient(blob).withSnapshot(snapshot);
    const options = { permissions: BlobSASPermissions.parse('r'), startsOn, expiresOn };
    if (service.credential instanceof StorageSharedKeyCredential) return client.generateSasUrl(options);
    key ??= azureCall(() => service.getUserDelegationKey(startsOn, expiresOn));
    return client.generateUserDelegationSasUrl(options, await key);
  };
}
