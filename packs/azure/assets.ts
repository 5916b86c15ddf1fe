import type { Alert } from '../../core/alert.ts';
import type { AzureConfig, Config } from '../../core/config.ts';
import { forcedStores } from '../../core/manual-command.ts';
import {
  type AiAccountRef,
  parseAiAccountId,
  parseBlobUrl,
  parseContainerResourceId,
  parseStorageAccountId,
  type StorageAccountRef,
} from './names.ts';

type AzureAsset = AzureConfig['assets'][number];
type AiAccountConfig = AzureConfig['inference']['accounts'][number];

/** One configured AI account an alert names. */
export interface AssetAiAccount {
  account: AiAccountRef;
  config: AiAccountConfig;
}

/** The AI accounts an alert names that `azure.inference.accounts` lets Tourniquet close, each once. */
export function alertAiAccounts(alert: Alert, config: Config): AssetAiAccount[] {
  const out = new Map<string, AssetAiAccount>();
  for (const r of alert.resources) {
    if (r.kind !== 'ai-account') continue;
    const account = parseAiAccountId(r.id);
    const configured = account
      ? config.azure?.inference.accounts.find((a) => a.account.toLowerCase() === account.id.toLowerCase())
      : undefined;
    if (account && configured) out.set(account.id.toLowerCase(), { account, config: configured });
  }
  return [...out.values()];
}

/** The AI accounts an alert names, configured or not (for what is left to humans). */
export function alertAiAccountIds(alert: Alert): string[] {
  return [...new Set(alert.resources.filter((r) => r.kind === 'ai-account').map((r) => r.id))];
}

/** One protected container the alert touches, with the blobs it names there. */
export interface AssetContainer {
  account: StorageAccountRef;
  asset: AzureAsset;
  container: string;
  blobs: string[];
}

/** The configured asset whose storage account has this name (account names are globally unique). */
export function assetByAccountName(config: Config, name: string): AzureAsset | undefined {
  return config.azure?.assets.find(
    (a) => parseStorageAccountId(a.storageAccount)?.name === name.toLowerCase(),
  );
}

/** Is this account the evidence store? It is never quarantined, whatever an alert says. */
export function isEvidenceAccount(config: Config, accountName: string): boolean {
  const evidence = config.azure ? parseStorageAccountId(config.azure.evidence.storageAccount) : undefined;
  return evidence?.name === accountName.toLowerCase();
}

/**
 * Every protected container an alert touches, in order: a storage account named by the alert
 * stands for all of its configured containers; a container or a blob stands for its own container
 * when that container is configured, or when a responder forced it in by hand (`forceUnlisted`).
 * The evidence container is never one of them.
 */
export function alertAssetContainers(alert: Alert, config: Config): AssetContainer[] {
  const named = new Map<string, { accountName: string; container?: string; blob?: string }[]>();
  const add = (accountName: string, container?: string, blob?: string) =>
    named.set(accountName, [...(named.get(accountName) ?? []), { accountName, container, blob }]);
  for (const r of alert.resources) {
    if (r.kind === 'storage-account') {
      const account = parseStorageAccountId(r.id);
      if (account) add(account.name);
    } else if (r.kind === 'container') {
      const parsed = parseContainerResourceId(r.id);
      if (parsed) add(parsed.account.name, parsed.container);
    } else if (r.kind === 'blob') {
      const parsed = parseBlobUrl(r.id);
      if (parsed) add(parsed.account, parsed.container, parsed.blob);
    }
  }
  const out: AssetContainer[] = forcedContainers(alert, config);
  for (const [accountName, refs] of named) {
    const asset = assetByAccountName(config, accountName);
    const account = asset ? parseStorageAccountId(asset.storageAccount) : undefined;
    if (!asset || !account) continue;
    const wholeAccount = refs.some((r) => r.container === undefined);
    const containers = asset.containers.filter(
      (c) =>
        (wholeAccount || refs.some((r) => r.container === c)) &&
        !isEvidenceContainer(config, accountName, c) &&
        !out.some((o) => o.account.name === accountName && o.container === c),
    );
    for (const container of containers) {
      const blobs = refs.filter((r) => r.container === container && r.blob).map((r) => r.blob as string);
      out.push({ account, asset, container, blobs: [...new Set(blobs)] });
    }
  }
  return out;
}

/** Containers forced in by hand, as assets of kind `other` with no prefixes (only named blobs are pinned). */
function forcedContainers(alert: Alert, config: Config): AssetContainer[] {
  return forcedStores(alert).flatMap((id) => {
    const parsed = parseContainerResourceId(id);
    if (!parsed || isEvidenceContainer(config, parsed.account.name, parsed.container)) return [];
    const blobs = alert.resources
      .filter((r) => r.kind === 'blob')
      .map((r) => parseBlobUrl(r.id))
      .filter((b) => b?.account === parsed.account.name && b.container === parsed.container)
      .map((b) => b?.blob as string);
    const asset: AzureAsset = {
      storageAccount: parsed.account.id,
      containers: [parsed.container],
      kind: 'other',
      prefixes: [],
    };
    return [{ account: parsed.account, asset, container: parsed.container, blobs }];
  });
}

/** Storage accounts of the protected containers an alert touches, each once. */
export function alertAssetAccounts(alert: Alert, config: Config): StorageAccountRef[] {
  const byId = new Map(alertAssetContainers(alert, config).map((c) => [c.account.id, c.account]));
  return [...byId.values()];
}

/** Does an RBAC scope cover a protected storage account (the account itself, its group, its subscription)? */
export function scopeCoversAsset(scope: string, config: Config): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  return !!config.azure?.assets.some((a) => {
    const id = a.storageAccount.toLowerCase();
    return id === s || id.startsWith(`${s}/`) || s.startsWith(`${id}/`);
  });
}

function isEvidenceContainer(config: Config, accountName: string, container: string): boolean {
  return isEvidenceAccount(config, accountName) && config.azure?.evidence.container === container;
}
