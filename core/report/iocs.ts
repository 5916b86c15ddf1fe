import type { Alert } from '../alert.ts';

/** Indicators of compromise as the alerts give them: identifiers only, never a secret. */
export interface Iocs {
  principals: string[];
  sessions: string[];
  accessKeyIds: string[];
  sourceIps: string[];
  userAgents: string[];
  /** SHA-256 of SAS signatures (the signature itself is a credential). */
  sasSignatureHashes: string[];
  accounts: string[];
}

/**
 * Field names that carry an indicator in the documented event formats, walked in the delivered
 * event: GuardDuty `service.action.*.remoteIpDetails.ipAddressV4` and `userAgent`
 * (API_Finding), CloudTrail `sourceIPAddress` / `userAgent`, Azure Monitor and Storage logs
 * `callerIpAddress`, Defender `extendedProperties` "Client IP address" / "User agent".
 */
const EVENT_FIELDS: Readonly<Record<string, keyof Iocs>> = {
  ipAddressV4: 'sourceIps',
  ipAddressV6: 'sourceIps',
  sourceIPAddress: 'sourceIps',
  callerIpAddress: 'sourceIps',
  clientIp: 'sourceIps',
  'Client IP address': 'sourceIps',
  'client IP address': 'sourceIps',
  userAgent: 'userAgents',
  'User agent': 'userAgents',
  'user agent': 'userAgents',
  accessKeyId: 'accessKeyIds',
};

/** The IoCs of one incident: its alert's principal and aliases, its context, and the delivered event. */
export function iocsOf(alert: Alert, event: unknown): Iocs {
  const out: Record<keyof Iocs, Set<string>> = {
    principals: new Set(),
    sessions: new Set(),
    accessKeyIds: new Set(),
    sourceIps: new Set(),
    userAgents: new Set(),
    sasSignatureHashes: new Set(),
    accounts: new Set(),
  };
  const p = alert.principal;
  if (p) {
    out.principals.add(p.id);
    if (p.accessKeyId) out.accessKeyIds.add(p.accessKeyId);
    if (p.account && p.account !== alert.account) out.accounts.add(p.account);
    for (const a of p.aliases) {
      if (a.type === 'session-arn') out.sessions.add(a.value);
      else if (a.type === 'access-key-id') out.accessKeyIds.add(a.value);
      else if (a.type === 'ip') out.sourceIps.add(a.value);
      else if (a.type === 'sas') out.sasSignatureHashes.add(a.value);
      else out.principals.add(`${a.type}:${a.value}`);
    }
  }
  for (const r of alert.resources) if (r.kind === 'access-key') out.accessKeyIds.add(r.id);
  const remote = alert.context.remoteAccount;
  if (typeof remote === 'string') out.accounts.add(remote);
  walk(alert.context, out, 0);
  walk(event, out, 0);
  // Only identifiers that look like what they claim to be: an access key id, never a secret key.
  out.accessKeyIds = new Set([...out.accessKeyIds].filter((k) => /^(AKIA|ASIA)[A-Z0-9]{12,124}$/.test(k)));
  out.sourceIps = new Set([...out.sourceIps].filter((ip) => /^[0-9a-f:.]{3,45}$/i.test(ip)));
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    principals: sorted(out.principals),
    sessions: sorted(out.sessions),
    accessKeyIds: sorted(out.accessKeyIds),
    sourceIps: sorted(out.sourceIps),
    userAgents: sorted(out.userAgents),
    sasSignatureHashes: sorted(out.sasSignatureHashes),
    accounts: sorted(out.accounts),
  };
}

function walk(value: unknown, out: Record<keyof Iocs, Set<string>>, depth: number): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = EVENT_FIELDS[key];
    if (field && typeof v === 'string' && v.length <= 512) out[field].add(v);
    else walk(v, out, depth + 1);
  }
}

/** The earliest activity time the delivered event states (GuardDuty eventFirstSeen, ASFF FirstObservedAt, …). */
export function firstSeenIn(event: unknown): string | undefined {
  const times: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 12 || value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (FIRST_SEEN.has(key) && typeof v === 'string' && !Number.isNaN(Date.parse(v))) times.push(v);
      else visit(v, depth + 1);
    }
  };
  visit(event, 0);
  return times.map((t) => new Date(t).toISOString()).sort()[0];
}

const FIRST_SEEN = new Set(['eventFirstSeen', 'FirstObservedAt', 'startTimeUtc', 'firstActivityDateTime']);
