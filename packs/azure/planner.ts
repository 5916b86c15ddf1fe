import type { Action } from '../../core/actions.ts';
import type { PrincipalRef } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { escalateAction } from '../../core/escalate.ts';
import { forcedStores } from '../../core/manual-command.ts';
import type { PlanInput } from '../../core/planner.ts';
import type { AzureAction, QuarantineStorageAccount, SnapshotBlobs } from './actions.ts';
import { type AssetContainer, alertAssetContainers, isEvidenceAccount } from './assets.ts';
import { actorAddress, contains, planAiAccounts, planInference } from './inference.ts';
import { containerResourceId, parseStorageAccountId } from './names.ts';
import { copyEvidence, snapshot } from './plan-evidence.ts';

type Draft = Omit<AzureAction, 'id'>;

/** Turns intents into Azure actions. Pure: the same input always gives the same plan. */
export function planAzure(input: PlanInput): Action[] {
  const { alert, intents, config } = input;
  const containers = alertAssetContainers(alert, config);
  const drafts: Draft[] = [];
  const revoked = intents.has('revoke-principal')
    ? actorsToAct(input).filter((p) => !input.isGuarded(p.id))
    : [];
  for (const p of revoked) drafts.push(...revokePrincipal(input, p));
  const notes: string[] = [];
  if (intents.has('contain-inference')) {
    const inference = planInference(input, actorsToAct(input), revoked);
    drafts.push(...inference.actions);
    notes.push(...inference.notes);
  }
  const quarantining = intents.has('contain-resources') || !!input.withheld?.has('contain-resources');
  if (intents.has('revoke-principal') && !quarantining) drafts.push(...restrictCaller(input, containers));
  if (intents.has('contain-resources')) {
    const closing = quarantine(input, containers);
    drafts.push(...closing);
    const removing = closing.some((d) => d.kind === 'remove-data-role-assignments');
    notes.push(...closing.flatMap((d) => dataRoleResidual(d, removing)));
    const ai = planAiAccounts(input);
    drafts.push(...ai.actions);
    notes.push(...ai.notes);
  }
  // A container forced in by hand has no configured prefixes: only the blobs it names are evidence.
  const withEvidence = containers.filter(
    (c) => c.blobs.length || c.asset.prefixes.length || !isForced(input, c),
  );
  if (intents.has('preserve-evidence')) drafts.push(...withEvidence.map((c) => snapshot(input, c)));

  const numbered: Action[] = drafts.map((a, i) => ({ id: `a${i + 1}`, ...a }) as AzureAction);
  if (intents.has('copy-evidence') && config.azure) {
    for (const snap of numbered.filter((a): a is SnapshotBlobs => a.kind === 'snapshot-blobs')) {
      // A user delegation SAS signs the copy source: it must be issued after the quarantine revoked
      // every delegation key of the account, or it dies with them.
      const closing = numbered.find(
        (a): a is QuarantineStorageAccount =>
          a.kind === 'quarantine-storage-account' &&
          a.params.storageAccountId === snap.params.storageAccountId,
      );
      numbered.push({ id: `a${numbered.length + 1}`, ...copyEvidence(input, snap, closing) });
    }
  }
  notes.push(...sasNotes(alert, numbered), ...storageAddressNotes(input, containers));
  const base = input.escalation ?? (intents.has('escalate') ? `${alert.source} ${alert.type}` : undefined);
  // What automation leaves to humans is always told, whatever the playbook says.
  const reason = [base, ...new Set(notes)].filter(Boolean).join('; ');
  if (reason) numbered.push(escalateAction(`a${numbered.length + 1}`, alert, reason, numbered));
  return numbered;
}

/** The principal and the further actors the decision cleared for action, in order. */
export function actorsToAct(input: PlanInput): PrincipalRef[] {
  return [...(input.principal ? [input.principal] : []), ...(input.actors ?? [])];
}

function revokePrincipal(input: PlanInput, principal: PrincipalRef): Draft[] {
  const azure = input.config.azure;
  if (!azure) return [];
  const subscriptions = [...azure.subscriptions].map((s) => s.toLowerCase()).sort();
  // Assets in subscriptions outside the list are still listed at their own scope.
  const scopes = azure.assets
    .map((a) => parseStorageAccountId(a.storageAccount))
    .filter((a) => !!a && !subscriptions.includes(a.subscriptionId))
    .map((a) => a?.id as string);
  const base = { category: 'revoke' as const, target: principal.id, account: input.alert.account };
  const out: Draft[] = [
    {
      ...base,
      kind: 'remove-role-assignments',
      params: { principalId: principal.id, subscriptions, scopes: [...new Set(scopes)].sort() },
      inverse:
        'recreate each recorded role assignment (same name, scope, role definition, principal, condition)',
    },
  ];
  if (azure.disableServicePrincipals && principal.kind === 'service-principal') {
    out.push({
      ...base,
      kind: 'disable-service-principal',
      params: { objectId: principal.id },
      inverse: 'PATCH servicePrincipals/<id> accountEnabled back to the recorded value',
    });
  }
  return out;
}

function quarantine(input: PlanInput, containers: readonly AssetContainer[]): Draft[] {
  const azure = input.config.azure;
  if (!azure) return [];
  const out: Draft[] = [];
  const accounts = new Map(containers.map((c) => [c.account.id, c.account]));
  for (const account of accounts.values()) {
    if (isEvidenceAccount(input.config, account.name)) continue;
    out.push({
      kind: 'quarantine-storage-account',
      category: 'quarantine',
      target: account.id,
      account: account.subscriptionId,
      params: {
        storageAccountId: account.id,
        resourceGroup: account.resourceGroup,
        accountName: account.name,
        allowSharedKeyAccess: false,
        allowBlobPublicAccess: false,
        // Deny with the responder network only: that cuts a caller IP off too, and every other address.
        network: responderNetwork(input.config),
        revokeUserDelegationKeys: true,
        rotateKeys: azure.rotateKeys,
        ...(azure.quarantine.disablePublicNetworkAccess
          ? {
              disablePublicNetworkAccess: true,
              responderPrivateEndpoints: [...azure.quarantine.responderPrivateEndpoints],
            }
          : {}),
      },
      inverse:
        'restore the recorded allowSharedKeyAccess, allowBlobPublicAccess, network rules and publicNetworkAccess ' +
        '(revoked delegation keys and rotated account keys stay revoked)',
    });
    if (azure.quarantine.removeDataRoleAssignments) {
      out.push({
        kind: 'remove-data-role-assignments',
        category: 'quarantine',
        target: account.id,
        account: account.subscriptionId,
        params: {
          storageAccountId: account.id,
          accountName: account.name,
          containerScopes: containers
            .filter((c) => c.account.id === account.id)
            .map((c) => `${account.id}/blobServices/default/containers/${c.container}`),
        },
        inverse: 'recreate each recorded role assignment with the same name, scope, role and principal',
      });
    }
  }
  for (const c of containers) {
    out.push({
      kind: 'quarantine-container',
      category: 'quarantine',
      target: `${c.account.id}/blobServices/default/containers/${c.container}`,
      account: c.account.subscriptionId,
      params: { storageAccountId: c.account.id, accountName: c.account.name, container: c.container },
      inverse: 'restore the recorded public access level and stored access policies (Set Container ACL)',
    });
  }
  return out;
}

/**
 * A caller IP actor cut off the stores it read by a network rule of its own (surgical containment,
 * issue 7), for a playbook that cuts the actor off but leaves the accounts up (no
 * `contain-resources`): an account quarantine, where planned, already denies every address but
 * the responders', and a rule for the caller alone would only weaken it; one the blast radius
 * withheld is left to humans whole.
 */
function restrictCaller(input: PlanInput, containers: readonly AssetContainer[]): Draft[] {
  const address = callerToCut(input);
  const network = responderNetwork(input.config);
  if (!input.config.azure || !address || !network) return [];
  const accounts = new Map(containers.map((c) => [c.account.id, c.account]));
  return [...accounts.values()]
    .filter((a) => !isEvidenceAccount(input.config, a.name))
    .map((a) => restrictStorage(a, address, network));
}

function restrictStorage(
  account: AssetContainer['account'],
  address: string,
  network: NonNullable<QuarantineStorageAccount['params']['network']>,
): Draft {
  return {
    kind: 'restrict-storage-network',
    category: 'quarantine',
    target: account.id,
    account: account.subscriptionId,
    params: {
      storageAccountId: account.id,
      resourceGroup: account.resourceGroup,
      accountName: account.name,
      blockedAddress: address,
      responders: { virtualNetworkSubnetIds: network.virtualNetworkSubnetIds, ipRanges: network.ipRanges },
    },
    inverse: 'restore the recorded network rule set (networkAcls) of the account exactly',
  };
}

/** The caller IP to cut off storage: not one inside the responder network (that would not cut it). */
function callerToCut(input: PlanInput): string | undefined {
  const address = actorAddress(input.alert);
  const ranges = input.config.azure?.responderNetwork?.ipRanges ?? [];
  return address && !ranges.some((r) => contains(r, address)) ? address : undefined;
}

/** Why a caller IP on storage is left to humans: cutting it off with Deny would lock responders out. */
function storageAddressNotes(input: PlanInput, containers: readonly AssetContainer[]): string[] {
  const address = actorAddress(input.alert);
  // Both the caller's own rule and a quarantine's Deny admit the responder network.
  const cutting = input.intents.has('revoke-principal') || input.intents.has('contain-resources');
  if (!address || !cutting) return [];
  const names = [...new Set(containers.map((c) => c.account.name))];
  if (responderNetwork(input.config)) {
    if (callerToCut(input)) return [];
    return names.map(
      (n) =>
        `${address} NOT cut off ${n} by a network rule: it is inside azure.responderNetwork — ` +
        'a responder address, or the responder range is too wide',
    );
  }
  return names.map(
    (n) =>
      `${address} NOT cut off ${n} by a network rule: no azure.responderNetwork is configured, and default ` +
      'action Deny would lock the responders out of the data plane — add the IP to a Deny-by-default rule set by hand',
  );
}

function isForced(input: PlanInput, c: AssetContainer): boolean {
  return forcedStores(input.alert).includes(containerResourceId(c.account.id, c.container));
}

function responderNetwork(config: Config): QuarantineStorageAccount['params']['network'] {
  const network = config.azure?.responderNetwork;
  if (!network || network.virtualNetworkSubnetIds.length + network.ipRanges.length === 0) return null;
  return {
    defaultAction: 'Deny',
    virtualNetworkSubnetIds: [...network.virtualNetworkSubnetIds],
    ipRanges: [...network.ipRanges],
  };
}

/**
 * What becomes of a SAS actor (issue 7, surgical containment): a SAS is not an identity to revoke,
 * it dies with what signed it. The account quarantine turns Shared Key off (account-key SAS stop)
 * and revokes every user delegation key (user delegation SAS stop), and the container quarantine
 * removes the stored access policies a service SAS may be issued under. Without a quarantine in
 * the plan, the responder is told how to cut that one SAS off by hand.
 */
function sasNotes(alert: PlanInput['alert'], planned: readonly Action[]): string[] {
  const actors = [alert.principal, ...(alert.actors ?? [])].filter((p) => p !== null);
  const hashes = [
    ...new Set(actors.flatMap((p) => p.aliases.filter((a) => a.type === 'sas').map((a) => a.value))),
  ];
  if (!hashes.length) return [];
  const closed = planned.some((a) => a.kind === 'quarantine-storage-account');
  return hashes.map((h) =>
    closed
      ? `SAS ${h.slice(0, 12)}… is cut off by the storage account quarantine (Shared Key off, user delegation keys revoked, stored access policies removed)`
      : `SAS ${h.slice(0, 12)}… is NOT cut off automatically: remove the stored access policy it names (si=), ` +
        'or rotate the account key that signed it, or revoke the user delegation keys (az storage account revoke-delegation-keys)',
  );
}

/**
 * What an Azure storage quarantine cannot stop, told to humans in the escalation: Entra tokens of
 * identities holding data-plane roles pass Shared Key, public access and SAS changes, and network
 * rules let private endpoints and trusted Azure services through (docs/azure.md, "What quarantine
 * does not stop").
 */
function dataRoleResidual(draft: Draft, removing: boolean): string[] {
  if (draft.kind !== 'quarantine-storage-account') return [];
  const { accountName, storageAccountId } = draft.params as { accountName: string; storageAccountId: string };
  const holders = removing
    ? 'direct data-plane role assignments on the account and its containers are removed (responders and ' +
      'break-glass kept); identities holding data-plane roles (Storage Blob Data Owner/Contributor/Reader, or ' +
      'roles with blob dataActions) inherited from its resource group, subscription or management group keep access'
    : 'identities holding data-plane roles (Storage Blob Data Owner/Contributor/Reader, or roles with blob ' +
      'dataActions) on the account, its containers, resource group, subscription or management group keep access';
  return [
    `quarantine of ${accountName}: ${holders}` +
      ' — list them with `az role assignment list --scope ' +
      `${storageAccountId} --include-inherited\` and remove those not needed; private endpoints and trusted Azure ` +
      'services also pass the network rules',
  ];
}
