import { createHash } from 'node:crypto';
import type { Alert } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import type { SavedAzure, SimAccount, SimContainer } from './azure/state.ts';

/** Storage Blob Data Reader (built-in role). */
const BLOB_DATA_READER =
  '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

/**
 * A small, plausible Azure estate: each configured asset account (Shared Key on, network open)
 * with its containers under a stored access policy (a partner SAS) holding the blobs the alerts
 * name and a few checkpoints under each prefix; the evidence container with an immutability
 * policy; the principal an alert names as a service principal with a data-reader role on the assets;
 * each configured AI account with API keys on and no network rules.
 */
export function seedAzure(state: SavedAzure, config: Config, alerts: readonly Alert[]): void {
  const azure = config.azure;
  if (!azure) return;
  const nameOf = (id: string) => (id.split('/').at(-1) ?? '').toLowerCase();
  const account = (id: string): SimAccount => ({
    id,
    name: nameOf(id),
    location: 'germanywestcentral',
    properties: {
      allowSharedKeyAccess: true,
      allowBlobPublicAccess: false,
      networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] },
    },
    keyGeneration: { key1: 1, key2: 1 },
  });
  const container = (accountName: string, name: string, immutable = false): SimContainer => ({
    account: accountName,
    name,
    publicAccess: 'none',
    policies: immutable
      ? []
      : [
          {
            id: 'partner-read',
            permissions: 'r',
            expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        ],
    immutable,
    blobs: {},
  });
  const named = alerts
    .filter((a) => a.cloud === 'azure')
    .flatMap((a) => a.resources.filter((r) => r.kind === 'blob').map((r) => new URL(r.id)));
  // The AI accounts Tourniquet may close: keys on, open to every network.
  state.aiAccounts ??= [];
  for (const ai of azure.inference.accounts) {
    state.aiAccounts.push({
      id: ai.account,
      name: ai.account.split('/').at(-1) ?? '',
      properties: {
        disableLocalAuth: false,
        publicNetworkAccess: 'Enabled',
        networkAcls: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
      },
      keyGeneration: { Key1: 1, Key2: 1 },
    });
  }
  for (const asset of azure.assets) {
    state.accounts.push(account(asset.storageAccount));
    for (const c of asset.containers) {
      const sim = container(nameOf(asset.storageAccount), c);
      const names = [
        ...(asset.prefixes.length ? asset.prefixes : ['']).flatMap((p) =>
          [1, 2].map((i) => `${p}shard-${String(i).padStart(5, '0')}.safetensors`),
        ),
        ...named
          .filter((u) => u.hostname.startsWith(`${sim.account}.`) && u.pathname.split('/')[1] === c)
          .map((u) => decodeURIComponent(u.pathname.split('/').slice(2).join('/'))),
      ];
      for (const n of names) sim.blobs[n] = blob(n, ++state.counter);
      state.containers.push(sim);
    }
  }
  if (!state.accounts.some((a) => a.id === azure.evidence.storageAccount))
    state.accounts.push(account(azure.evidence.storageAccount));
  state.containers.push(container(nameOf(azure.evidence.storageAccount), azure.evidence.container, true));
  for (const alert of alerts.filter((a) => a.cloud === 'azure')) {
    const p = alert.principal;
    if (!p) continue;
    state.servicePrincipals.push({
      id: p.id,
      appId: p.aliases.find((x) => x.type === 'app-id')?.value ?? p.id,
      displayName: p.name ?? 'simulated-app',
      accountEnabled: true,
      servicePrincipalType: p.kind === 'managed-identity' ? 'ManagedIdentity' : 'Application',
    });
    for (const asset of azure.assets) {
      const name = `${String(++state.counter).padStart(8, '0')}-0000-4000-8000-000000000000`;
      state.assignments.push({
        id: `${asset.storageAccount}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        scope: asset.storageAccount,
        roleDefinitionId: `/subscriptions/${azure.subscriptions[0]}${BLOB_DATA_READER}`,
        principalId: p.id,
        principalType: 'ServicePrincipal',
      });
    }
  }
}

function blob(name: string, n: number) {
  const body = `simulated checkpoint ${name}\n`.repeat(64);
  return {
    etag: `"0x8DD${n.toString(16).padStart(12, '0').toUpperCase()}"`,
    contentLength: Buffer.byteLength(body),
    contentMD5: createHash('md5').update(body).digest('base64'),
    lastModified: new Date().toISOString(),
    body,
    snapshots: [],
  };
}
