/** The subscription GUID in an ARM resource id (any case), lower-cased. */
export function subscriptionOf(resourceId: string | undefined): string | undefined {
  return /\/subscriptions\/([0-9a-f-]{36})\//i.exec(resourceId ?? '')?.[1]?.toLowerCase();
}

/** `…/storageAccounts/<name>/blobServices/default` → the storage account's id. */
export function storageAccountIdOf(resourceId: string): string | undefined {
  const m =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)/i.exec(
      resourceId,
    );
  return m?.[1];
}
