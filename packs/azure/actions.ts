import type { ActionBase } from '../../core/actions.ts';

/**
 * Azure action kinds, as data. The Azure planner (packs/azure/planner.ts) builds them; the executors
 * in functions-azure/executors perform them. Every parameter an API call needs is here, already
 * validated, so a plan can be printed, approved and replayed.
 */

/**
 * Lists the principal's *direct* role assignments (`principalId eq`, never group assignments) in
 * each subscription and at each extra scope, records scope, role definition, principal type and
 * condition of each, and deletes those at or below a listed scope. Release recreates them with the
 * same names. Tokens already issued stay valid until they expire; removal propagates in minutes.
 */
export type RemoveRoleAssignments = ActionBase<
  'remove-role-assignments',
  {
    principalId: string;
    subscriptions: string[];
    scopes: string[];
    /** Only these assignments (a posture fix names the stale ones); absent: every one in reach. */
    assignmentIds?: string[];
  }
>;

/**
 * A just-in-time data role on an asset account or container until `expiresAt`: a PIM role
 * assignment schedule request (AdminAssign, expiring) where the tenant has PIM, else a role
 * assignment whose ABAC condition stops it at expiry (`@Environment[UtcNow] DateTimeLessThan`) and
 * which the grant timer removes. Undo removes whichever exists.
 */
export type GrantRole = ActionBase<
  'grant-role',
  {
    principalId: string;
    principalType: 'ServicePrincipal' | 'User' | 'Group';
    /** Storage account or container resource id. */
    scope: string;
    roleDefinitionId: string;
    startsAt: string;
    expiresAt: string;
    justification: string;
    /** GUID names, fixed in the plan so a retry writes the same request and assignment. */
    requestName: string;
    removeRequestName: string;
    assignmentName: string;
    condition: string;
  }
>;

/** Sets `accountEnabled=false` on the service principal in Entra ID (Microsoft Graph); stops new tokens. */
export type DisableServicePrincipal = ActionBase<'disable-service-principal', { objectId: string }>;

/** Where responders keep data-plane access while the account's network default action is Deny. */
export interface ResponderNetwork {
  /** Subnet resource ids (the function app's VNet integration subnet, with a Microsoft.Storage service endpoint). */
  virtualNetworkSubnetIds: string[];
  /** Public IPv4 addresses or CIDR ranges (/30 or wider, as Azure Storage requires). */
  ipRanges: string[];
}

/**
 * Closes a storage account: `allowSharedKeyAccess=false` (Shared Key and key-signed SAS stop),
 * `allowBlobPublicAccess=false`, network `defaultAction: Deny` with only the responder network
 * allowed (when one is configured; otherwise the network rules are left as they are), every user
 * delegation key revoked (user delegation SAS stop), and optionally both account keys rotated.
 * The recorded properties are restored on release; rotated keys and revoked delegation keys are not.
 */
export type QuarantineStorageAccount = ActionBase<
  'quarantine-storage-account',
  {
    storageAccountId: string;
    resourceGroup: string;
    accountName: string;
    allowSharedKeyAccess: false;
    allowBlobPublicAccess: false;
    /** Null leaves the network rules untouched (no responder network configured). */
    network: ({ defaultAction: 'Deny' } & ResponderNetwork) | null;
    revokeUserDelegationKeys: true;
    rotateKeys: boolean;
    /**
     * Opt-in (`azure.quarantine.disablePublicNetworkAccess`): `publicNetworkAccess: Disabled`, only
     * when one of `responderPrivateEndpoints` is an approved private endpoint connection of the account.
     */
    disablePublicNetworkAccess?: boolean;
    responderPrivateEndpoints?: string[];
  }
>;

/**
 * Sets a container private and removes its stored access policies (Set Container ACL), so service
 * SAS issued under those policies stop working; the recorded policies come back on release.
 */
export type QuarantineContainer = ActionBase<
  'quarantine-container',
  { storageAccountId: string; accountName: string; container: string }
>;

/**
 * Opt-in (`azure.quarantine.removeDataRoleAssignments`): removes the role assignments made
 * *directly* at the storage account's scope or one of the named containers' scopes (inherited ones
 * are left alone) whose role grants blob data actions (Storage Blob Data Owner/Contributor/Reader
 * or any role with `Microsoft.Storage/…/blobServices/…` data actions). Responders, break-glass and
 * the deployment's own identities are skipped. Each removed assignment is recorded in full and
 * recreated with the same name on release. Role definitions are never touched.
 */
export type RemoveDataRoleAssignments = ActionBase<
  'remove-data-role-assignments',
  {
    storageAccountId: string;
    accountName: string;
    /** Container resource ids (`…/blobServices/default/containers/<name>`) of the quarantined containers. */
    containerScopes: string[];
  }
>;

/**
 * Takes a blob snapshot of each blob named by the alert (`keys`, blob names in the container) and
 * of each blob under the asset's prefixes (up to `maxObjects`), recording etag, content MD5, length
 * and snapshot time. Snapshots are kept on release: they are evidence.
 */
export type SnapshotBlobs = ActionBase<
  'snapshot-blobs',
  {
    storageAccountId: string;
    accountName: string;
    container: string;
    keys: string[];
    prefixes: string[];
    maxObjects: number;
  }
>;

/**
 * Copies the snapshots a `snapshot-blobs` action took into the evidence container, server-side:
 * `Copy Blob From URL` (synchronous) up to `syncCopyMaxBytes`, the asynchronous `Copy Blob` with
 * polling above. Never overwrites evidence (`If-None-Match: *`); copies are kept on release.
 */
export type CopyBlobEvidence = ActionBase<
  'copy-blob-evidence',
  {
    storageAccountId: string;
    accountName: string;
    container: string;
    evidenceStorageAccountId: string;
    evidenceAccountName: string;
    evidenceContainer: string;
    evidencePrefix: string;
    /** The snapshot-blobs action whose recorded snapshots are copied. */
    snapshotAction: string;
    syncCopyMaxBytes: number;
  }
>;

/** Where an action on an Azure OpenAI / AI Foundry (Cognitive Services) account acts. */
interface AiAccountParams {
  accountId: string;
  accountName: string;
}

/**
 * Turns API-key access to an Azure OpenAI / AI Foundry account off (`properties.disableLocalAuth:
 * true`): keys stop working, Entra tokens keep working. The recorded value is restored on release.
 */
export type DisableLocalAuth = ActionBase<'disable-local-auth', AiAccountParams>;

/**
 * Regenerates both keys of an AI account whose applications must keep using keys: the keys an
 * attacker holds stop working. Not restorable: the old keys are gone for good, and the applications
 * need the new ones (the plan says so). Nothing about the keys is recorded.
 */
export type RegenerateAiKeys = ActionBase<
  'regenerate-ai-keys',
  AiAccountParams & { keyNames: ['Key1', 'Key2'] }
>;

/**
 * Shuts an IP actor out of an AI account: network default action Deny with only the configured
 * application networks (and the responder network) allowed. The recorded rules come back on release.
 */
export type RestrictAiNetwork = ActionBase<
  'restrict-ai-network',
  AiAccountParams & {
    /** The address the alert names as the actor. */
    blockedAddress: string;
    network: { defaultAction: 'Deny' } & ResponderNetwork;
  }
>;

/**
 * Cuts one caller IP off a storage account's data plane without cutting the responders off (issue 7,
 * surgical containment). An account open to all networks (`defaultAction: Allow`) gets `Deny` with
 * its existing IP and virtual network rules kept (less the caller's address) and the responder
 * network added; an account that denies by default already loses the caller's address from its IP
 * rules. The whole recorded network rule set comes back on release.
 */
export type RestrictStorageNetwork = ActionBase<
  'restrict-storage-network',
  {
    storageAccountId: string;
    resourceGroup: string;
    accountName: string;
    /** The address the alert names as the actor. */
    blockedAddress: string;
    /** Added when the account goes from Allow to Deny, so responders keep data-plane access. */
    responders: ResponderNetwork;
  }
>;

export type AzureAction =
  | GrantRole
  | RemoveRoleAssignments
  | DisableServicePrincipal
  | QuarantineStorageAccount
  | QuarantineContainer
  | RemoveDataRoleAssignments
  | SnapshotBlobs
  | CopyBlobEvidence
  | DisableLocalAuth
  | RegenerateAiKeys
  | RestrictAiNetwork
  | RestrictStorageNetwork;

export type AzureActionKind = AzureAction['kind'];

/** Every Azure action kind; the compiler holds the list complete. */
export const AZURE_ACTION_KINDS = Object.keys({
  'remove-role-assignments': true,
  'disable-service-principal': true,
  'quarantine-storage-account': true,
  'quarantine-container': true,
  'remove-data-role-assignments': true,
  'snapshot-blobs': true,
  'copy-blob-evidence': true,
  'disable-local-auth': true,
  'regenerate-ai-keys': true,
  'restrict-ai-network': true,
  'restrict-storage-network': true,
  'grant-role': true,
} satisfies Record<AzureActionKind, true>) as AzureActionKind[];
