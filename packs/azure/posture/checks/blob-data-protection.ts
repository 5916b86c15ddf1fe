import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { assetAccounts, get, nameOf, resourceGroupOf } from '../subjects.ts';

interface BlobServiceProperties {
  properties?: {
    isVersioningEnabled?: boolean;
    deleteRetentionPolicy?: { enabled?: boolean; days?: number };
    changeFeed?: { enabled?: boolean; retentionInDays?: number };
  };
}

/** Versioning, blob soft delete and the change feed on an asset account (Blob Services - Get Service Properties). */
export const blobDataProtection: PostureCheck = {
  id: 'azure.blob-data-protection',
  cloud: 'azure',
  title: 'Blob versioning, soft delete and change feed on the asset account',
  why: 'snapshots taken at containment cannot bring back what was overwritten or deleted before it; versions, soft delete and the change feed keep that evidence and its order',
  severity: 5,
  operations: ['Microsoft.Storage/storageAccounts/blobServices'],
  subjects: assetAccounts,
  reads: (s) => [get('Microsoft.Storage/storageAccounts/blobServices', `${s.id}/blobServices/default`)],
  evaluate(s, { view }) {
    const p = view.value<BlobServiceProperties>(
      'Microsoft.Storage/storageAccounts/blobServices',
      `${s.id}/blobServices/default`,
    ).properties;
    const missing = [
      ...(p?.isVersioningEnabled ? [] : ['versioning']),
      ...(p?.deleteRetentionPolicy?.enabled ? [] : ['blob soft delete']),
      ...(p?.changeFeed?.enabled ? [] : ['change feed']),
    ];
    if (!missing.length)
      return pass(
        `versioning, soft delete (${p?.deleteRetentionPolicy?.days ?? '?'} days) and change feed on`,
      );
    return fail(
      `off: ${missing.join(', ')}`,
      `az storage account blob-service-properties update --account-name ${nameOf(s.id)} --resource-group ${resourceGroupOf(s.id)} --enable-versioning true --enable-delete-retention true --delete-retention-days 30 --enable-change-feed true`,
    );
  },
};
