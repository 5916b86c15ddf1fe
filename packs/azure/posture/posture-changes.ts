import { createHash } from 'node:crypto';
import type { Action } from '../../../core/actions.ts';
import type { Config } from '../../../core/config.ts';
import { CHANGE_TYPES, type PostureChange } from '../../../core/posture/change.ts';
import { ChangeRefusedError } from '../../../core/posture/change-errors.ts';
import type { IdentityRow } from '../../../core/posture/identities.ts';
import type { GrantRole, RemoveRoleAssignments } from '../actions.ts';
import { parseContainerResourceId, parseStorageAccountId } from '../names.ts';
import { sameId } from './subjects.ts';

/** Built-in roles a grant may give (Azure built-in roles reference). */
export const GRANT_ROLES = {
  read: { id: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', name: 'Storage Blob Data Reader' },
  write: { id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', name: 'Storage Blob Data Contributor' },
} as const;

const BLOBS = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
const CONDITIONED = {
  read: [`${BLOBS}/read`],
  write: [
    `${BLOBS}/read`,
    `${BLOBS}/write`,
    `${BLOBS}/add/action`,
    `${BLOBS}/delete`,
    `${BLOBS}/move/action`,
  ],
} as const;

/**
 * The ABAC condition that ends the role's blob data actions at expiry (`@Environment[UtcNow]`, one
 * of the storage environment attributes; conditions format 2.0), so the grant stops by itself even
 * if no timer ever removes it.
 */
export function expiryCondition(access: 'read' | 'write', expiresAt: string): string {
  const not = CONDITIONED[access].map((a) => `!(ActionMatches{'${a}'})`).join(' AND ');
  return `((${not}) OR (@Environment[UtcNow] DateTimeLessThan '${expiresAt}'))`;
}

/** A GUID derived from text: the names of a grant's requests and assignment, stable across retries. */
export function guidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The fix for stale standing access on Azure: each stale service principal's role assignment that
 * reaches an asset, removed (recreated with the same name by release). Responders and break-glass
 * are never in it; more principals than `limits.maxPrincipals` and nothing is planned.
 */
export function azureStandingAccessChange(
  rows: readonly IdentityRow[],
  config: Config,
  now: Date,
): { change?: PostureChange; skipped: string[] } {
  const azure = config.azure;
  const guarded = [...(azure?.responders ?? []), ...(azure?.protectedPrincipals ?? [])];
  const skipped: string[] = [];
  const byPrincipal = new Map<string, { ids: Set<string>; scopes: Set<string>; account: string }>();
  for (const row of rows.filter((r) => r.cloud === 'azure' && r.status === 'stale')) {
    if (guarded.some((g) => sameId(g, row.principal.id))) {
      skipped.push(`${row.principal.id}: guarded`);
      continue;
    }
    const scope = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.exec(
      row.assignmentId ?? '',
    )?.[1];
    const sub = /^\/subscriptions\/([0-9a-f-]{36})/i.exec(scope ?? '')?.[1]?.toLowerCase();
    if (!row.assignmentId || !scope || !sub) {
      skipped.push(
        `${row.principal.id}: assignment ${row.assignmentId ?? '?'} is not in a subscription (management group): remove it by hand`,
      );
      continue;
    }
    const entry = byPrincipal.get(row.principal.id) ?? { ids: new Set(), scopes: new Set(), account: sub };
    entry.ids.add(row.assignmentId);
    entry.scopes.add(scope);
    byPrincipal.set(row.principal.id, entry);
  }
  if (!byPrincipal.size) return { skipped };
  if (byPrincipal.size > config.limits.maxPrincipals) {
    skipped.push(
      `${byPrincipal.size} stale principals > limits.maxPrincipals ${config.limits.maxPrincipals}: nothing planned; raise the limit for this run or fix them by hand`,
    );
    return { skipped };
  }
  const actions: Action[] = [...byPrincipal].map(
    ([principalId, e], i): RemoveRoleAssignments => ({
      id: `a${i + 1}`,
      kind: 'remove-role-assignments',
      category: 'revoke',
      target: principalId,
      account: e.account,
      params: { principalId, subscriptions: [], scopes: [...e.scopes], assignmentIds: [...e.ids] },
      inverse: `recreate ${[...e.ids].join(', ')} with the same names (tourniquet release)`,
    }),
  );
  return {
    skipped,
    change: {
      type: CHANGE_TYPES.standingAccess,
      cloud: 'azure',
      account: actions[0]?.account ?? '',
      actions,
      principal: null,
      resources: [...new Set(rows.filter((r) => byPrincipal.has(r.principal.id)).map((r) => r.asset))].map(
        (id) => ({ kind: 'storage-account', id }),
      ),
      reason: `standing data access unused for over ${config.posture.staleAfterDays} days removed: ${[...byPrincipal.keys()].join(', ')}`,
      now,
    },
  };
}

export interface AzureGrantRequest {
  config: Config;
  principalId: string;
  principalType: GrantRole['params']['principalType'];
  /** An asset storage account's name or id, or `<account id>/blobServices/default/containers/<name>`. */
  asset: string;
  container?: string;
  access: 'read' | 'write';
  startsAt: Date;
  expiresAt: Date;
  grantId: string;
  reason: string;
}

/** A just-in-time data role on an Azure asset account or one of its containers (see GrantRole). */
export function azureGrantChange(request: AzureGrantRequest): PostureChange {
  const azure = request.config.azure;
  if (!azure) throw new ChangeRefusedError('the configuration has no "azure" section');
  const assets = azure.assets.map((a) => parseStorageAccountId(a.storageAccount)).filter((a) => !!a);
  const account = assets.find(
    (a) =>
      a.name === request.asset.toLowerCase() ||
      sameId(a.id, request.asset) ||
      sameId(a.id, parseContainerResourceId(request.asset)?.account.id),
  );
  if (!account)
    throw new ChangeRefusedError(
      `--asset ${request.asset} is not one of the azure.assets storage accounts (${assets.map((a) => a.name).join(', ')})`,
    );
  if ([...azure.responders, ...azure.protectedPrincipals].some((g) => sameId(g, request.principalId)))
    throw new ChangeRefusedError(
      `${request.principalId} is a responder or break-glass principal: its access is not granted by Tourniquet`,
    );
  const hours = (request.expiresAt.getTime() - request.startsAt.getTime()) / 3_600_000;
  if (hours <= 0 || hours > request.config.posture.maxGrantHours)
    throw new ChangeRefusedError(
      `a grant lasts at most posture.maxGrantHours = ${request.config.posture.maxGrantHours} h (asked: ${hours.toFixed(2)} h)`,
    );
  const container = request.container ?? parseContainerResourceId(request.asset)?.container;
  const scope = container ? `${account.id}/blobServices/default/containers/${container}` : account.id;
  const role = GRANT_ROLES[request.access];
  const expiresAt = request.expiresAt.toISOString();
  const action: GrantRole = {
    id: 'a1',
    kind: 'grant-role',
    category: 'grant',
    target: request.principalId,
    account: account.subscriptionId,
    params: {
      principalId: request.principalId,
      principalType: request.principalType,
      scope,
      roleDefinitionId: `/subscriptions/${account.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
      startsAt: request.startsAt.toISOString(),
      expiresAt,
      justification: `${request.reason} (tourniquet ${request.grantId})`.slice(0, 500),
      requestName: guidOf(`${request.grantId}/assign`),
      removeRequestName: guidOf(`${request.grantId}/remove`),
      assignmentName: guidOf(`${request.grantId}/assignment`),
      condition: expiryCondition(request.access, expiresAt),
    },
    inverse: `remove the ${role.name} assignment (PIM AdminRemove, or delete the assignment) — at expiry by the grant timer, or tourniquet release`,
  };
  return {
    type: CHANGE_TYPES.grant,
    cloud: 'azure',
    account: account.subscriptionId,
    incidentId: request.grantId,
    actions: [action],
    principal: {
      id: request.principalId,
      kind: 'service-principal',
      account: azure.tenantId,
      aliases: [],
      certain: true,
    },
    resources: [{ kind: container ? 'container' : 'storage-account', id: scope }],
    reason: `just-in-time ${role.name} on ${scope} for ${request.principalId} until ${expiresAt}: ${request.reason}`,
    now: request.startsAt,
  };
}
