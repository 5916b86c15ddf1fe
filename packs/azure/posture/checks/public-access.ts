import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { assetAccounts, get, nameOf, resourceGroupOf } from '../subjects.ts';

const containerId = (account: string, c: string) => `${account}/blobServices/default/containers/${c}`;

/** No anonymous access: `allowBlobPublicAccess: false` on the account and every asset container private. */
export const publicAccess: PostureCheck = {
  id: 'azure.public-access',
  cloud: 'azure',
  title: 'No anonymous blob access on the asset account and its containers',
  why: 'anonymous reads have no identity to revoke; an account that allows public access can have any container opened with one write',
  severity: 7,
  operations: [
    'Microsoft.Storage/storageAccounts',
    'Microsoft.Storage/storageAccounts/blobServices/containers',
  ],
  subjects: assetAccounts,
  reads(s) {
    const containers = (s as { containers?: string[] }).containers ?? [];
    const reads: Read[] = [get('Microsoft.Storage/storageAccounts', s.id)];
    for (const c of containers)
      reads.push(get('Microsoft.Storage/storageAccounts/blobServices/containers', containerId(s.id, c)));
    return reads;
  },
  evaluate(s, { view }) {
    const account = view.value<{ properties?: { allowBlobPublicAccess?: boolean | null } }>(
      'Microsoft.Storage/storageAccounts',
      s.id,
    ).properties?.allowBlobPublicAccess;
    const open = ((s as { containers?: string[] }).containers ?? []).filter((c) => {
      const access = view.value<{ properties?: { publicAccess?: string | null } }>(
        'Microsoft.Storage/storageAccounts/blobServices/containers',
        containerId(s.id, c),
      ).properties?.publicAccess;
      return access && access !== 'None';
    });
    const problems = [
      ...(account === false ? [] : ['the account allows public access']),
      ...(open.length ? [`public containers: ${open.join(', ')}`] : []),
    ];
    if (!problems.length) return pass('public access is off on the account; asset containers are private');
    return fail(
      problems.join('; '),
      `az storage account update --name ${nameOf(s.id)} --resource-group ${resourceGroupOf(s.id)} --allow-blob-public-access false`,
    );
  },
};
