/**
 * The names core itself checks, for both clouds: account and principal ids (the canonical ids of
 * core/alert.ts that principal patterns match) and the names the configuration accepts. The ids a
 * cloud alone writes live in its pack (packs/<cloud>/names.ts). Anything that fails here never
 * reaches a policy: parsers reject the event, config parsing rejects the file.
 */

/** An Azure subscription id and resource group name, as they appear inside ARM resource ids. */
export const SUBSCRIPTION_ID_PATTERN =
  '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const RESOURCE_GROUP_PATTERN = '[-\\w().]{1,90}';

const ACCOUNT = /^\d{12}$/;
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;
const IAM_PATH = /^\/(?:[\w+=,.@-]+\/)*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAccountId(value: string): boolean {
  return ACCOUNT.test(value);
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** General-purpose S3 bucket naming rules (S3 User Guide, "Bucket naming rules"). */
export function isBucketName(value: string): boolean {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return false;
  if (value.includes('..') || value.includes('.-') || value.includes('-.')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(value)) return false;
  return !/(-s3alias|--ol-s3|\.mrap)$/.test(value);
}

export type IamArn =
  | { type: 'root'; account: string; arn: string }
  | { type: 'user' | 'role'; account: string; path: string; name: string; arn: string };

/**
 * Parses an IAM user, role or root ARN in the `aws` partition; anything else returns undefined.
 * Other partitions (aws-cn, aws-us-gov) are refused: this deployment only acts in `aws`.
 */
export function parseIamArn(value: string): IamArn | undefined {
  const m = /^arn:aws:iam::(\d{12}):(root|user|role)(\/.*)?$/.exec(value);
  if (!m) return undefined;
  const [, account = '', type, rest] = m;
  if (type === 'root') return rest === undefined ? { type, account, arn: value } : undefined;
  if (!rest) return undefined;
  const cut = rest.lastIndexOf('/');
  const path = rest.slice(0, cut + 1);
  const name = rest.slice(cut + 1);
  if (!IAM_PATH.test(path) || !IAM_NAME.test(name) || name.length > 64) return undefined;
  return { type: type as 'user' | 'role', account, path, name, arn: value };
}

/** A subnet resource id (`…/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>`). */
export function isSubnetId(value: string): boolean {
  return new RegExp(
    `^/subscriptions/${SUBSCRIPTION_ID_PATTERN}/resourceGroups/${RESOURCE_GROUP_PATTERN}/providers/Microsoft\\.Network/virtualNetworks/[-\\w.]{2,64}/subnets/[-\\w.]{1,80}$`,
    'i',
  ).test(value);
}

/** An Azure OpenAI / AI Foundry account id (`…/providers/Microsoft.CognitiveServices/accounts/<name>`). */
export function isCognitiveAccountId(value: string): boolean {
  return new RegExp(
    `^/subscriptions/${SUBSCRIPTION_ID_PATTERN}/resourceGroups/${RESOURCE_GROUP_PATTERN}/providers/Microsoft\\.CognitiveServices/accounts/[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$`,
    'i',
  ).test(value);
}

/**
 * An address or range a storage account IP rule accepts: a public IPv4 address, or a CIDR range of
 * /8 to /30 (Azure Storage refuses /31, /32 and private ranges).
 */
export function isStorageIpRule(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value);
  if (!m) return false;
  const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
  if ([a, b, c, d].some((o) => o > 255)) return false;
  if (m[5] !== undefined && (Number(m[5]) < 8 || Number(m[5]) > 30)) return false;
  const isPrivate = a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  return !isPrivate && a !== 0;
}
