import type { ContainerClient } from '@azure/storage-blob';
import { azureCall } from './errors.ts';

/** Reading container properties is an ARM action on the evidence container. */
export const PREFLIGHT_PERMISSIONS = [
  'Microsoft.Storage/storageAccounts/blobServices/containers/read',
] as const;

/**
 * Checks the evidence container once per cold start and returns warnings for humans (nothing
 * stops): a missing container, or one without an immutability policy or legal hold, where
 * journal entries and evidence copies could be deleted by anyone with write access.
 */
export async function evidencePreflight(container: ContainerClient): Promise<string[]> {
  const props = await azureCall(() => container.getProperties(), { '404': () => undefined });
  if (!props)
    return [
      `evidence container ${container.containerName} does not exist: create it before the first incident`,
    ];
  const immutable =
    props.hasImmutabilityPolicy || props.hasLegalHold || props.isImmutableStorageWithVersioningEnabled;
  if (immutable) return [];
  return [
    `evidence container ${container.containerName} has no immutability policy or legal hold: journal entries and ` +
      'evidence copies can be deleted by anyone with write access; add a time-based retention policy (docs/azure.md)',
  ];
}
