import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { assetAccounts, get, nameOf, resourceGroupOf } from '../subjects.ts';

/** `allowSharedKeyAccess: false` on an asset account (null means allowed, the default). */
export const sharedKeyAccess: PostureCheck = {
  id: 'azure.shared-key-access',
  cloud: 'azure',
  title: 'Shared Key access off on the asset account',
  why: 'account keys and key-signed SAS bypass RBAC: removing a role assignment does not stop them, and storage logs show no identity for them ($superuser); quarantine turns Shared Key off',
  severity: 7,
  operations: ['Microsoft.Storage/storageAccounts'],
  subjects: assetAccounts,
  reads: (s) => [get('Microsoft.Storage/storageAccounts', s.id)],
  evaluate(s, { view }) {
    const allowed = view.value<{ properties?: { allowSharedKeyAccess?: boolean | null } }>(
      'Microsoft.Storage/storageAccounts',
      s.id,
    ).properties?.allowSharedKeyAccess;
    if (allowed === false)
      return pass('Shared Key access is off: only Entra identities (RBAC) reach the data');
    return fail(
      `Shared Key access is ${allowed === true ? 'on' : 'on (not set: the default allows it)'}`,
      `az storage account update --name ${nameOf(s.id)} --resource-group ${resourceGroupOf(s.id)} --allow-shared-key-access false (move key users to Entra first)`,
    );
  },
};
