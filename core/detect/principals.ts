import type { PrincipalRef } from '../alert.ts';
import { isGuid } from '../names.ts';
import { memo, memoByFirst } from './memo.ts';

/**
 * Principals the logs name only by address or token. They are never `certain`: the decision
 * escalates instead of revoking (an IP may be a NAT shared by many; a SAS is not an identity).
 */
export function ipPrincipal(ip: string, account: string): PrincipalRef {
  return ipByFirst(ip, account);
}

const ipByFirst = memoByFirst((ip, account) => ipPrincipals(`${ip}|${account}`));

const ipPrincipals = memo((key): PrincipalRef => {
  const [ip = '', account = ''] = key.split('|');
  return { id: ip, kind: 'unknown', account, aliases: [{ type: 'ip', value: ip }], certain: false };
});

/** Looks like an IPv4 or IPv6 address (what logs put where a caller or source address goes). */
export function isIpLike(value: string): boolean {
  return /^[\d.]+$/.test(value) || (value.includes(':') && /^[0-9a-f:.]+$/i.test(value));
}

/** A SAS-authorized request, named by the SHA-256 of its signature as Azure Storage logs it. */
export function sasPrincipal(signatureHash: string, account: string): PrincipalRef {
  return sasByFirst(signatureHash, account);
}

const sasByFirst = memoByFirst((hash, account) => sasPrincipals(`${hash}|${account}`));

const sasPrincipals = memo((key): PrincipalRef => {
  const [hash = '', account = ''] = key.split('|');
  return {
    id: `sas:${hash}`,
    kind: 'unknown',
    account,
    aliases: [{ type: 'sas', value: hash }],
    certain: false,
  };
});

/** An Entra object id; the kind comes from the log when it says (`ServicePrincipal`, `User`). */
export function entraPrincipal(objectId: string, tenant: string, type?: string): PrincipalRef {
  return entraByFirst(objectId, tenant, type ?? '');
}

const entraByFirst = memoByFirst((objectId, tenant, type) =>
  entraPrincipals(`${objectId}|${tenant}|${type}`),
);

const entraPrincipals = memo((key): PrincipalRef => {
  const [objectId = '', tenant = '', type = ''] = key.split('|');
  const kind = ENTRA_KINDS[type.toLowerCase()] ?? 'unknown';
  return { id: objectId.toLowerCase(), kind, account: tenant, aliases: [], certain: isGuid(objectId) };
});

const ENTRA_KINDS: Record<string, PrincipalRef['kind']> = {
  serviceprincipal: 'service-principal',
  user: 'entra-user',
  managedidentity: 'managed-identity',
};

/** Strips the `:port` Azure appends to caller addresses (`192.0.2.4:50712`, `[2001:db8::1]:443`). */
export function stripPort(address: string): string {
  if (address.charCodeAt(0) !== 91) {
    // Not bracketed: only `a.b.c.d:port` changes, and that shape is checked by hand.
    const colon = ipv4WithPort(address);
    return colon < 0 ? address : address.slice(0, colon);
  }
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (v6?.[1]) return v6[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return v4?.[1] ?? address;
}

/**
 * Where the colon is when the whole text is `\d{1,3}(\.\d{1,3}){3}:\d+`, else -1: the regular
 * expression's answer without running it on every log line.
 */
function ipv4WithPort(text: string): number {
  let i = 0;
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (text.charCodeAt(i) !== 46) return -1;
      i++;
    }
    const start = i;
    while (i < text.length && i - start < 3 && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return -1;
  }
  if (text.charCodeAt(i) !== 58) return -1;
  const colon = i;
  for (i++; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return -1;
  return i > colon + 1 ? colon : -1;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
