import type { PrincipalAlias, PrincipalKind, PrincipalRef } from '../../core/alert.ts';
import { isGuid } from '../../core/names.ts';
import { type Json, optObj } from './fields.ts';

const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const TID = 'http://schemas.microsoft.com/identity/claims/tenantid';
const UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const SCOPE = 'http://schemas.microsoft.com/identity/claims/scope';

/**
 * The actor of an ARM operation, from the caller's token claims and the authorization evidence
 * (Event Grid resource events, Activity Log alerts). Certain only when the object id is a GUID,
 * the evidence (if any) names the same principal, the tenant matches, and the kind is clear:
 * a managed identity (`xms_mirid`), a service principal (an app token) or a user (a UPN).
 * Anything less is uncertain, and the decision will escalate instead of revoking.
 */
export function claimsPrincipal(
  claims: Json | undefined,
  authorization: Json | undefined,
  tenantId: string,
): PrincipalRef | null {
  const evidence = optObj(authorization?.evidence, 'data.authorization.evidence');
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 512 ? v : undefined);
  const oid = text(claims?.[OID]) ?? text(claims?.oid);
  const tid = text(claims?.[TID]) ?? text(claims?.tid);
  const appId = text(claims?.appid) ?? text(claims?.azp);
  const upn = text(claims?.[UPN]) ?? text(claims?.upn);
  const ip = text(claims?.ipaddr);
  const evidenceId = text(evidence?.principalId);
  const evidenceType = text(evidence?.principalType);
  const mirid = text(claims?.xms_mirid);
  const idtyp = text(claims?.idtyp);

  const id = oid ?? evidenceId ?? appId ?? upn;
  if (!id) return null;
  const kind: PrincipalKind = mirid
    ? 'managed-identity'
    : upn || idtyp === 'user' || evidenceType === 'User'
      ? 'entra-user'
      : idtyp === 'app' ||
          evidenceType === 'ServicePrincipal' ||
          (appId && !upn && claims?.scp === undefined && claims?.[SCOPE] === undefined)
        ? 'service-principal'
        : 'unknown';
  const consistent =
    !!oid &&
    isGuid(oid) &&
    (!evidenceId || evidenceId.toLowerCase() === oid.toLowerCase()) &&
    (!tid || tid.toLowerCase() === tenantId.toLowerCase()) &&
    !(upn && (mirid || idtyp === 'app')) &&
    kind !== 'unknown';
  const aliases: PrincipalAlias[] = [];
  if (appId) aliases.push({ type: 'app-id', value: appId });
  if (upn) aliases.push({ type: 'upn', value: upn });
  if (ip) aliases.push({ type: 'ip', value: ip });
  return {
    id: isGuid(id) ? id.toLowerCase() : id,
    kind,
    account: tenantId.toLowerCase(),
    ...(upn ? { name: upn } : mirid ? { name: mirid } : {}),
    aliases,
    certain: consistent,
  };
}
