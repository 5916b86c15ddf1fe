import {
  RESOURCE_GROUP_PATTERN as RESOURCE_GROUP,
  SUBSCRIPTION_ID_PATTERN as SUBSCRIPTION,
} from '../../core/names.ts';

/**
 * Validators and canonical forms for the Azure names that end up in API calls: storage account and
 * container resource ids, blob URLs (GUIDs and the ids the configuration names: core/names.ts). Anything that fails here never reaches an API: parsers
 * reject the event, config parsing rejects the file.
 */

const ACCOUNT = '[a-z0-9]{3,24}';
const STORAGE_ACCOUNT_ID = new RegExp(
  `^/subscriptions/(${SUBSCRIPTION})/resourceGroups/(${RESOURCE_GROUP})/providers/Microsoft\\.Storage/storageAccounts/(${ACCOUNT})$`,
  'i',
);
const CONTAINER = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export interface StorageAccountRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** `/subscriptions/<lower-case id>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>` */
  id: string;
}

/** Parses a storage account resource id, whatever its casing; undefined for anything else. */
export function parseStorageAccountId(value: string): StorageAccountRef | undefined {
  const m = STORAGE_ACCOUNT_ID.exec(value);
  if (!m) return undefined;
  const subscriptionId = (m[1] ?? '').toLowerCase();
  const resourceGroup = m[2] ?? '';
  const name = (m[3] ?? '').toLowerCase();
  if (resourceGroup.endsWith('.')) return undefined;
  return {
    subscriptionId,
    resourceGroup,
    name,
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${name}`,
  };
}

const AI_ACCOUNT_ID = new RegExp(
  `^/subscriptions/(${SUBSCRIPTION})/resourceGroups/(${RESOURCE_GROUP})/providers/Microsoft\\.CognitiveServices/accounts/([a-zA-Z0-9][a-zA-Z0-9_.-]{1,63})(?:/.*)?$`,
  'i',
);

export interface AiAccountRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** `/subscriptions/<lower-case id>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>` */
  id: string;
}

/**
 * An Azure OpenAI / AI Foundry (Cognitive Services) account id, or an id of something inside it (a
 * deployment, a project), whatever its casing → the account; undefined for anything else.
 */
export function parseAiAccountId(value: string): AiAccountRef | undefined {
  const m = AI_ACCOUNT_ID.exec(value);
  if (!m) return undefined;
  const subscriptionId = (m[1] ?? '').toLowerCase();
  const resourceGroup = m[2] ?? '';
  const name = m[3] ?? '';
  if (resourceGroup.endsWith('.') || name.endsWith('.') || name.endsWith('-')) return undefined;
  return {
    subscriptionId,
    resourceGroup,
    name,
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${name}`,
  };
}

/** Storage account names: 3–24 lower-case letters and digits. */
export function isStorageAccountName(value: string): boolean {
  return new RegExp(`^${ACCOUNT}$`).test(value);
}

/** Blob container names (Blob service naming rules); `$root` is the account's root container. */
export function isContainerName(value: string): boolean {
  return CONTAINER.test(value) || value === '$root';
}

/** A blob name as the Blob service accepts it: 1–1024 characters, no control characters, no `\`. */
export function isBlobName(value: string): boolean {
  if (value.length === 0 || value.length > 1024) return false;
  if (value.endsWith('.') || value.endsWith('/')) return false;
  // Dot segments would be resolved away by any URL on the way and name another blob.
  if (value.split('/').some((s) => s === '.' || s === '..')) return false;
  return ![...value].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f' || c === '\\');
}

/** The ARM id of a container: `<storage account id>/blobServices/default/containers/<name>`. */
export function containerResourceId(storageAccountId: string, container: string): string {
  return `${storageAccountId}/blobServices/default/containers/${container}`;
}

/** `<account id>/blobServices/default/containers/<name>` → parts; undefined for anything else. */
export function parseContainerResourceId(
  value: string,
): { account: StorageAccountRef; container: string } | undefined {
  const m = /^(.+)\/blobServices\/default\/containers\/([^/]+)$/i.exec(value);
  const account = m?.[1] ? parseStorageAccountId(m[1]) : undefined;
  if (!account || !m?.[2] || !isContainerName(m[2])) return undefined;
  return { account, container: m[2] };
}

/** Public-cloud blob endpoint of an account. */
export function blobEndpoint(accountName: string): string {
  return `https://${accountName}.blob.core.windows.net`;
}

/** The canonical blob URL: each path segment of the name percent-encoded, `/` kept. */
export function blobUrl(accountName: string, container: string, blob: string): string {
  const path = blob.split('/').map(encodeURIComponent).join('/');
  return `${blobEndpoint(accountName)}/${container}/${path}`;
}

/**
 * A public-cloud blob URL (`https://<account>.blob.core.windows.net/<container>/<name>`) → parts,
 * with the name decoded; undefined for any other host, a query string, or an invalid part.
 */
export function parseBlobUrl(
  value: string,
): { account: string; container: string; blob: string } | undefined {
  // URL() would resolve dot segments and silently name another blob or container.
  if (/\/\.{1,2}(\/|$)|%2e/i.test(value.replace(/^https:\/\//, ''))) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const host = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net$/.exec(url.hostname);
  if (url.protocol !== 'https:' || !host?.[1] || url.search || url.hash || url.username || url.port) {
    return undefined;
  }
  const m = /^\/([^/]+)\/(.+)$/s.exec(url.pathname);
  if (!m?.[1] || !m[2] || !isContainerName(m[1])) return undefined;
  let blob: string;
  try {
    blob = m[2].split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
  return isBlobName(blob) ? { account: host[1], container: m[1], blob } : undefined;
}
