import type { PrincipalRef } from '../alert.ts';
import { isGuid } from '../names.ts';
import { memo } from './memo.ts';

/**
 * Principals the logs name only by address or token. They are never `certain`: the decision
 * escalates instead of revoking (an IP may be a NAT shared by many; a SAS is not an identity).
 */
export function ipPrincipal(ip: string, account: string): PrincipalRef {
  return ipPrincipals(`${ip}|${account}`);
}

const ipPrincipals = memo((key): PrincipalRef => {
  const [ip = '', account = ''] = key.split('|');
  return { id: ip, kind: 'unknown', account, aliases: [{ type: 'ip', value: ip }], certain: false };
});

/** A SAS-authorized request, named by the SHA-256 of its signature as Azure Storage logs it. */
export function sasPrincipal(signatureHash: string, account: string): PrincipalRef {
  return sasPrincipals(`${signatureHash}|${account}`);
}

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
  return entraPrincipals(`${objectId}|${tenant}|${type ?? ''}`);
}

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
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (v6?.[1]) return v6[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return v4?.[1] ?? address;
}
