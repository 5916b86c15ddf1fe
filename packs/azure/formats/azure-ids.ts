/** The subscription GUID in an ARM resource id (any case), lower-cased. */
export function subscriptionOf(resourceId: string | undefined): string | undefined {
  // Every record of a log file names the same resource: the last answer first.
  if (resourceId !== lastId) {
    lastId = resourceId;
    lastSubscription = /\/subscriptions\/([0-9a-f-]{36})\//i.exec(resourceId ?? '')?.[1]?.toLowerCase();
  }
  return lastSubscription;
}

let lastId: string | undefined = '';
let lastSubscription: string | undefined;

/** `…/storageAccounts/<name>/blobServices/default` → the storage account's id. */
export function storageAccountIdOf(resourceId: string): string | undefined {
  const m =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)/i.exec(
      resourceId,
    );
  return m?.[1];
}
