import type { PrincipalRef } from '../../../core/alert.ts';
import type { CallerContext } from '../../../core/cloud-pack.ts';
import { scoped } from '../../../core/detect/memo.ts';
import { entraPrincipal } from '../../../core/detect/principals.ts';
import { isGuid } from '../../../core/names.ts';

/** The subscription GUID in an ARM resource id (any case), lower-cased. */
export function subscriptionOf(resourceId: string | undefined): string | undefined {
  // Every record of a log file names the same resource: the last answer first.
  const last = lastSubscription();
  if (resourceId !== last.id) {
    last.id = resourceId;
    last.subscription = /\/subscriptions\/([0-9a-f-]{36})\//i.exec(resourceId ?? '')?.[1]?.toLowerCase();
  }
  return last.subscription;
}

const lastSubscription = scoped((): { id: string | undefined; subscription: string | undefined } => ({
  id: '',
  subscription: undefined,
}));

/** `…/storageAccounts/<name>/blobServices/default` → the storage account's id. */
export function storageAccountIdOf(resourceId: string): string | undefined {
  const m =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)/i.exec(
      resourceId,
    );
  return m?.[1];
}

/** `callerType` values for Entra object ids, as the Azure logs name the principal types. */
const ENTRA_TYPES: Record<string, string> = {
  'service-principal': 'ServicePrincipal',
  'managed-identity': 'ManagedIdentity',
  'entra-user': 'User',
};

/** An Entra object id named as a caller (the generic inference log), or undefined for anything else. */
export function entraCaller(caller: string, context: CallerContext): PrincipalRef | undefined {
  if (!isGuid(caller)) return undefined;
  const type = context.type ? ENTRA_TYPES[context.type] : undefined;
  return entraPrincipal(caller, context.tenant ?? context.account, type);
}
