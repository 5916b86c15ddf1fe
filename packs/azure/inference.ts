import type { Alert, PrincipalRef } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { isStorageIpRule } from '../../core/names.ts';
import type { PlanInput } from '../../core/planner.ts';
import type {
  DisableLocalAuth,
  RegenerateAiKeys,
  RemoveRoleAssignments,
  RestrictAiNetwork,
} from './actions.ts';
import { type AssetAiAccount, alertAiAccountIds, alertAiAccounts } from './assets.ts';

type Draft =
  | Omit<DisableLocalAuth, 'id'>
  | Omit<RegenerateAiKeys, 'id'>
  | Omit<RestrictAiNetwork, 'id'>
  | Omit<RemoveRoleAssignments, 'id'>;

/**
 * The AI accounts an alert names, closed (`contain-resources`): API keys off where the account's
 * applications use Entra (`localAuth: disable`, restorable), both keys regenerated where they must
 * keep using keys (`rotate`: not restorable, and said so). Accounts not in `azure.inference.accounts`
 * are left to humans.
 */
export function planAiAccounts(input: PlanInput): { actions: Draft[]; notes: string[] } {
  const actions: Draft[] = alertAiAccounts(input.alert, input.config).map(({ account, config }) => {
    const params = { accountId: account.id, accountName: account.name };
    const base = { category: 'quarantine' as const, target: account.id, account: account.subscriptionId };
    return config.localAuth === 'rotate'
      ? {
          ...base,
          kind: 'regenerate-ai-keys' as const,
          params: { ...params, keyNames: ['Key1', 'Key2'] as ['Key1', 'Key2'] },
          inverse:
            'NOT RESTORABLE: the old keys are gone for good; give the applications the new keys (az cognitiveservices account keys list)',
        }
      : {
          ...base,
          kind: 'disable-local-auth' as const,
          params,
          inverse: 'set properties.disableLocalAuth back to the recorded value',
        };
  });
  return { actions, notes: unconfigured(input.alert, input.config) };
}

/**
 * The inference channel closed for the actor (`contain-inference`): an IP actor shut out of the
 * configured AI accounts by a network rule (only the applications' networks and the responders'
 * stay allowed), a cleared identity's role assignments on those accounts removed (when the plan
 * does not revoke it everywhere already). What cannot be done is said.
 */
export function planInference(
  input: PlanInput,
  actors: readonly PrincipalRef[],
  revoked: readonly PrincipalRef[],
): { actions: Draft[]; notes: string[] } {
  const accounts = alertAiAccounts(input.alert, input.config);
  const actions: Draft[] = [];
  const notes: string[] = [];
  const address = actorAddress(input.alert);
  for (const a of accounts) {
    if (!address) break;
    const rule = networkRule(a, address, input.config);
    if (typeof rule === 'string') notes.push(rule);
    else actions.push(rule);
  }
  for (const p of actors.filter((p) => !revoked.some((r) => r.id === p.id))) {
    if (input.isGuarded(p.id) || accounts.length === 0) continue;
    actions.push({
      kind: 'remove-role-assignments',
      category: 'revoke',
      target: p.id,
      account: input.alert.account,
      params: { principalId: p.id, subscriptions: [], scopes: accounts.map((a) => a.account.id).sort() },
      inverse:
        'recreate each recorded role assignment on the AI accounts (same name, scope, role, condition)',
    });
  }
  return { actions, notes: [...notes, ...unconfigured(input.alert, input.config)] };
}

function networkRule(
  a: AssetAiAccount,
  address: string,
  config: Config,
): Omit<RestrictAiNetwork, 'id'> | string {
  const allowed = a.config.allowedNetworks;
  const responders = config.azure?.responderNetwork;
  if (!allowed || allowed.ipRanges.length + allowed.virtualNetworkSubnetIds.length === 0)
    return `${address} not shut out of ${a.account.name}: it has no allowedNetworks in azure.inference.accounts`;
  const ipRanges = [...new Set([...allowed.ipRanges, ...(responders?.ipRanges ?? [])])];
  if (ipRanges.some((r) => contains(r, address)))
    return `${address} not shut out of ${a.account.name}: it is inside the allowed networks`;
  return {
    kind: 'restrict-ai-network',
    category: 'quarantine',
    target: a.account.id,
    account: a.account.subscriptionId,
    params: {
      accountId: a.account.id,
      accountName: a.account.name,
      blockedAddress: address,
      network: {
        defaultAction: 'Deny',
        ipRanges,
        virtualNetworkSubnetIds: [
          ...new Set([...allowed.virtualNetworkSubnetIds, ...(responders?.virtualNetworkSubnetIds ?? [])]),
        ],
      },
    },
    inverse: 'restore the recorded network rules (networkAcls) of the account',
  };
}

/** The caller's public IPv4 address, when the alert's actor is only an address. */
export function actorAddress(alert: Alert): string | undefined {
  const p = alert.principal;
  const candidates = [
    ...(p && !p.certain ? [p.id, ...p.aliases.filter((a) => a.type === 'ip').map((a) => a.value)] : []),
    ...(p?.certain ? [] : [alert.context.clientIp]),
  ];
  return candidates.find(
    (c): c is string => typeof c === 'string' && /^[\d.]+$/.test(c) && isStorageIpRule(c),
  );
}

function unconfigured(alert: Alert, config: Config): string[] {
  const known = new Set(alertAiAccounts(alert, config).map((a) => a.account.id.toLowerCase()));
  return alertAiAccountIds(alert)
    .filter((id) => !known.has(id.toLowerCase()))
    .map(
      (id) =>
        `${id.slice(id.lastIndexOf('/') + 1)} is not in azure.inference.accounts: nothing changed on it`,
    );
}

/** Is an IPv4 address inside a range (`a.b.c.d` or `a.b.c.d/n`)? */
export function contains(range: string, address: string): boolean {
  const [base = '', bits = '32'] = range.split('/');
  const n = Number(bits);
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (toInt(base) & mask) >>> 0 === (toInt(address) & mask) >>> 0;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}
