import type { PostureContext } from '../../../../core/posture/check.ts';
import { type IdentityAnalysis, type IdentityRow, staleness } from '../../../../core/posture/identities.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { azureRead } from '../operations.ts';
import { assetAccounts, sameId } from '../subjects.ts';
import { type RoleDefinition, roleDataAccess } from './role-access.ts';

const ASSIGNMENTS = 'Microsoft.Authorization/roleAssignments';
const DEFINITIONS = 'Microsoft.Authorization/roleDefinitions';
const SP = 'graph:servicePrincipals';
const SIGN_INS = 'graph:servicePrincipalSignInActivities';

export interface RoleAssignment {
  id?: string;
  name?: string;
  properties?: {
    roleDefinitionId?: string;
    principalId?: string;
    principalType?: string;
    scope?: string;
    condition?: string | null;
    createdOn?: string;
  };
}
interface ServicePrincipal {
  id?: string;
  appId?: string;
  displayName?: string;
  servicePrincipalType?: string;
}
interface SignInActivity {
  appId?: string;
  lastSignInActivity?: { lastSignInDateTime?: string | null } | null;
}

const assignmentsRead = (account: string) =>
  azureRead(ASSIGNMENTS, account, `${account}/providers/Microsoft.Authorization/roleAssignments`);
const spRead = (id: string) =>
  azureRead(SP, id, `/servicePrincipals/${id}?$select=id,appId,displayName,servicePrincipalType`);
const signInRead = (appId: string) =>
  azureRead(SIGN_INS, appId, `/reports/servicePrincipalSignInActivities?$filter=appId eq '${appId}'`);

/**
 * The role assignments that reach an asset: ARM lists those at, above and below the account's
 * scope (Role Assignments - List For Scope, no filter); those below it count only on the asset's
 * own containers.
 */
export function assignmentsOn(
  ctx: PostureContext,
  account: string,
  containers: readonly string[],
): RoleAssignment[] {
  const inside = containers.map((c) => `${account}/blobServices/default/containers/${c}`.toLowerCase());
  return ctx.view.items<RoleAssignment>(ASSIGNMENTS, account, 'value').filter((a) => {
    const scope = (a.properties?.scope ?? '').toLowerCase();
    const acc = account.toLowerCase();
    return scope === acc || acc.startsWith(`${scope}/`) || scope === '/' || inside.includes(scope);
  });
}

const definitionOf = (ctx: PostureContext, id: string) =>
  ctx.view.answer(DEFINITIONS, id).kind === 'ok'
    ? ctx.view.value<RoleDefinition>(DEFINITIONS, id)
    : undefined;

/** Standing data access to the Azure asset accounts (role assignments) and the last sign-in of each holder. */
export const azureIdentityAnalysis: IdentityAnalysis = {
  cloud: 'azure',
  operations: [ASSIGNMENTS, DEFINITIONS, SP, SIGN_INS],
  reads(ctx) {
    const reads: Read[] = [];
    for (const account of assetAccounts(ctx)) {
      reads.push(assignmentsRead(account.id));
      if (ctx.view.answer(ASSIGNMENTS, account.id).kind !== 'ok') continue;
      for (const a of assignmentsOn(ctx, account.id, account.containers)) {
        const def = a.properties?.roleDefinitionId;
        if (def) reads.push(azureRead(DEFINITIONS, def, def));
        const principal = a.properties?.principalId;
        if (principal && a.properties?.principalType === 'ServicePrincipal') {
          reads.push(spRead(principal));
          if (ctx.view.answer(SP, principal).kind === 'ok') {
            const appId = ctx.view.value<ServicePrincipal>(SP, principal).appId;
            if (appId) reads.push(signInRead(appId));
          }
        }
      }
    }
    return reads;
  },
  analyse(ctx, now) {
    const guarded = [
      ...(ctx.config.azure?.responders ?? []),
      ...(ctx.config.azure?.protectedPrincipals ?? []),
    ];
    const rows: IdentityRow[] = [];
    for (const account of assetAccounts(ctx)) {
      const keys = ctx.view.answer('Microsoft.Storage/storageAccounts', account.id);
      const sharedKeyOff =
        keys.kind === 'ok' &&
        (keys.value as { properties?: { allowSharedKeyAccess?: boolean } }).properties
          ?.allowSharedKeyAccess === false;
      for (const a of assignmentsOn(ctx, account.id, account.containers)) {
        const p = a.properties ?? {};
        const definition = definitionOf(ctx, p.roleDefinitionId ?? '');
        const access = definition ? roleDataAccess(definition, { sharedKeyOff }) : undefined;
        if (definition && !access) continue;
        const principal = p.principalId ?? '';
        const sp =
          ctx.view.answer(SP, principal).kind === 'ok'
            ? ctx.view.value<ServicePrincipal>(SP, principal)
            : undefined;
        const last = sp?.appId ? lastSignIn(ctx, sp.appId) : undefined;
        const type =
          sp?.servicePrincipalType === 'ManagedIdentity'
            ? 'managed-identity'
            : (p.principalType ?? 'unknown').toLowerCase();
        const role = definition?.properties?.roleName ?? p.roleDefinitionId ?? '?';
        const verdict = guarded.some((g) => sameId(g, principal))
          ? { status: 'guarded' as const, detail: 'responder or break-glass: never proposed for removal' }
          : !definition
            ? {
                status: 'unknown' as const,
                detail: `role definition ${p.roleDefinitionId} could not be read`,
              }
            : p.principalType !== 'ServicePrincipal'
              ? {
                  status: 'unknown' as const,
                  detail: `a ${p.principalType ?? 'principal'}: sign-in activity is read for service principals only`,
                }
              : staleness(last?.at, p.createdOn, ctx.config.posture.staleAfterDays, now);
        rows.push({
          cloud: 'azure',
          asset: account.id,
          principal: { id: principal, type, name: sp?.displayName ?? principal },
          access: access?.access ?? 'read',
          via: [`${role} at ${p.scope} (${a.id})`, ...(access?.viaKeys ? ['listKeys (account keys)'] : [])],
          conditional: !!p.condition,
          ...(a.id ? { assignmentId: a.id } : {}),
          ...(last?.at ? { lastUsed: last.at } : {}),
          lastUsedFrom: last ? last.from : 'none',
          status: verdict.status,
          detail: verdict.detail,
        });
      }
    }
    return rows;
  },
};

function lastSignIn(ctx: PostureContext, appId: string): { at?: string; from: string } | undefined {
  if (ctx.view.answer(SIGN_INS, appId).kind !== 'ok') return undefined;
  const activity = ctx.view.items<SignInActivity>(SIGN_INS, appId, 'value').find((s) => s.appId === appId);
  const at = activity?.lastSignInActivity?.lastSignInDateTime ?? undefined;
  return at
    ? { at, from: 'Graph servicePrincipalSignInActivities' }
    : { from: 'Graph sign-in activity: none recorded' };
}
