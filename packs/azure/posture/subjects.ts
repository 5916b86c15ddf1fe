import type { PostureContext, Subject } from '../../../core/posture/check.ts';
import type { SnapshotView } from '../../../core/posture/snapshot.ts';
import { parseStorageAccountId } from '../names.ts';
import { azureRead } from './operations.ts';

export function azureScope(ctx: PostureContext) {
  const scope = ctx.scope.azure;
  if (!scope) throw new Error('posture check for Azure evaluated without an Azure scope');
  return scope;
}

const lower = (s: string) => s.toLowerCase();
export const sameId = (a: string | undefined, b: string | undefined) => !!a && !!b && lower(a) === lower(b);

/** One subject per asset storage account (several assets may share one), with its containers. */
export function assetAccounts(ctx: PostureContext): (Subject & { containers: string[] })[] {
  const byId = new Map<string, Subject & { containers: string[] }>();
  for (const asset of ctx.config.azure?.assets ?? []) {
    const ref = parseStorageAccountId(asset.storageAccount);
    if (!ref) continue;
    const subject = byId.get(ref.id) ?? {
      kind: 'asset' as const,
      id: ref.id,
      name: ref.name,
      account: ref.subscriptionId,
      resources: [{ kind: 'storage-account' as const, id: ref.id, name: ref.name }],
      containers: [],
    };
    subject.containers.push(...asset.containers.filter((c) => !subject.containers.includes(c)));
    byId.set(ref.id, subject);
  }
  return [...byId.values()];
}

export function evidenceContainer(ctx: PostureContext): Subject[] {
  const evidence = ctx.config.azure?.evidence;
  const ref = evidence && parseStorageAccountId(evidence.storageAccount);
  if (!evidence || !ref) return [];
  const id = `${ref.id}/blobServices/default/containers/${evidence.container}`;
  return [
    {
      kind: 'evidence',
      id,
      name: `${ref.name}/${evidence.container}`,
      account: ref.subscriptionId,
      resources: [{ kind: 'container', id, name: evidence.container }],
    },
  ];
}

export function subscriptions(ctx: PostureContext): Subject[] {
  return azureScope(ctx).subscriptions.map((sub) => ({
    kind: 'subscription' as const,
    id: sub,
    name: `subscription ${sub}`,
    account: sub,
    resources: [{ kind: 'account' as const, id: `/subscriptions/${sub}` }],
  }));
}

export const get = (op: Parameters<typeof azureRead>[0], id: string) => azureRead(op, id, id);

/** The resource, or `absent` when ARM answered 404 (not configured); other errors: unknown. */
export function armOrAbsent<T>(view: SnapshotView, op: string, key: string): T | 'absent' {
  const a = view.answer(op, key);
  if (a.kind === 'error' && a.status === 404) return 'absent';
  return view.value<T>(op, key);
}

/** `…/resourceGroups/<rg>/…` → rg, for az CLI fixes. */
export const resourceGroupOf = (id: string) =>
  /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '<resource group>';
export const nameOf = (id: string) => id.split('/').pop() ?? id;

/** A diagnostic setting as ARM returns it (Microsoft.Insights/diagnosticSettings). */
export interface DiagnosticSetting {
  name?: string;
  properties?: {
    storageAccountId?: string | null;
    workspaceId?: string | null;
    eventHubAuthorizationRuleId?: string | null;
    logs?: { category?: string | null; categoryGroup?: string | null; enabled?: boolean }[];
  };
}

/**
 * The log categories a setting sends. `allLogs` is every category; the `audit` group is taken to
 * hold only what changes things (writes, deletes, Audit), never reads: name `StorageRead` or use
 * `allLogs` to be sure it is sent.
 */
export function categoriesSent(
  setting: DiagnosticSetting,
  all: readonly string[],
  audit: readonly string[],
): string[] {
  const out = new Set<string>();
  for (const log of setting.properties?.logs ?? []) {
    if (!log.enabled) continue;
    if (log.category) out.add(log.category);
    if (log.categoryGroup === 'allLogs') for (const c of all) out.add(c);
    if (log.categoryGroup === 'audit') for (const c of audit) out.add(c);
  }
  return [...out];
}

/** The diagnostic settings of a resource (an extension resource below it). */
export const diagnosticSettingsOf = (id: string) =>
  azureRead(
    'Microsoft.Insights/diagnosticSettings',
    id,
    `${id}/providers/Microsoft.Insights/diagnosticSettings`,
  );
