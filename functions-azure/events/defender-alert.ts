import type { Alert, PrincipalAlias, PrincipalRef, ResourceRef } from '../../core/alert.ts';
import { isGuid } from '../../core/names.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { blobUrl, containerResourceId, isContainerName, parseBlobUrl } from '../../packs/azure/names.ts';
import { resourceRefs } from './arm-operation.ts';
import {
  type DefenderFields,
  isApiAlert,
  isFlatAlert,
  readApiAlert,
  readFlatAlert,
} from './defender-shapes.ts';
import { type Json, optStr, reject, str, subscriptionOf, time } from './fields.ts';

const SEVERITY: Record<string, number> = { High: 8, Medium: 5, Low: 2, Informational: 0 };

/** A Defender for Cloud alert in any of the shapes it is delivered in (defender-shapes.ts). */
export function isDefenderAlert(value: unknown): boolean {
  return isApiAlert(value) || isFlatAlert(value);
}

/**
 * A Microsoft Defender for Cloud security alert, in every shape it is delivered in: the alerts API
 * (2022-01-01; examples in Azure/azure-rest-api-specs specification/security/…/examples/Alerts),
 * the continuous-export / Log Analytics `SecurityAlert` shape and the workflow-automation (Logic App)
 * shape (MicrosoftDocs `alerts-schemas.md`): the same alert whatever the route, one dedupe key.
 * Storage alerts name the account in their resource ids and, often, the container in
 * `extendedProperties.container`; AI alerts (`AI.Azure_*`) name the AI account, and the end user
 * when the application passed its context (`endUserId`, `sourceIp`). An actor Defender names is an
 * entity it correlated, never certain enough to revoke by itself.
 */
export function parseDefenderAlert(raw: unknown, path: string): ParsedEvent {
  const f = isApiAlert(raw) ? readApiAlert(raw, path) : readFlatAlert(raw, path);
  const props = f.at.props;
  const status = optStr(f.status, `${props}.status`, 32);
  if (status === 'Resolved' || status === 'Dismissed')
    return { kind: 'ignored', reason: `Defender alert is ${status}` };
  const alertType = str(f.alertType, `${props}.alertType`, 256);
  const displayName = optStr(f.displayName, `${props}.alertDisplayName`, 512);
  const severity = SEVERITY[str(f.severity, `${props}.severity`, 32)];
  if (severity === undefined) return reject(`${props}.severity must be High, Medium, Low or Informational`);
  const systemId = str(f.systemAlertId, `${props}.systemAlertId`, 256);
  const entityIds = f.entities
    .filter((e) => e.type === 'azure-resource' && typeof e.resourceId === 'string')
    .map((e) => str(e.resourceId, `${props}.entities[].resourceId`, 2048));
  const named = [...f.resourceIds, ...entityIds];
  const from = f.alertId ?? named.find((id) => /^\/subscriptions\//i.test(id));
  if (!from) return reject(`${f.at.root} names no Azure resource: its subscription cannot be known`);
  const subscription = subscriptionOf(from, f.alertId ? `${f.at.root}.id` : `${props}.resourceId`);
  const endUser = endUserOf(f);
  const alert: Alert = {
    id: systemId,
    dedupeKey: `azure:defender:${subscription}:${systemId}`,
    cloud: 'azure',
    source: 'defender',
    type: alertType.replace(/^SIMULATED_/, ''),
    severity,
    observedAt: time(f.startTime, `${props}.startTimeUtc`),
    account: subscription,
    principal: principalOf(f.entities, endUser, subscription),
    resources: resources(named, f.extended, f.entities),
    sample: alertType.startsWith('SIMULATED_') || !!displayName?.startsWith('[SAMPLE ALERT]'),
    ...(displayName ? { title: displayName } : {}),
    context: {
      ...contextOf(f.extended),
      ...(Object.keys(endUser).length ? { endUser } : {}),
      ...(f.shape !== 'alerts-api' ? { delivery: f.shape } : {}),
    },
  };
  return { kind: 'alerts', alerts: [alert] };
}

function resources(ids: string[], extended: Json, entities: Json[]): ResourceRef[] {
  const refs = [...new Map(ids.flatMap((id) => resourceRefs(id)).map((r) => [r.id, r])).values()];
  const accounts = refs.filter((r) => r.kind === 'storage-account');
  const container = typeof extended.container === 'string' ? extended.container : undefined;
  // One account and a named container: the container is what the alert is about.
  const narrowed =
    accounts.length === 1 && accounts[0] && container && isContainerName(container)
      ? [
          ...refs.filter((r) => r.kind !== 'storage-account'),
          { kind: 'container' as const, id: containerResourceId(accounts[0].id, container) },
        ]
      : refs;
  const blobs = entities
    .filter((e) => e.type === 'blob' && typeof e.url === 'string')
    .map((e) => parseBlobUrl(e.url as string))
    .filter((b) => !!b)
    .map((b) => ({ kind: 'blob' as const, id: blobUrl(b.account, b.container, b.blob) }));
  return [...narrowed, ...blobs];
}

/** What an application passed about its end user (Defender's end-user context), as far as it is well-formed. */
interface EndUser {
  id?: string;
  ip?: string;
  application?: string;
  tenant?: string;
}

const END_USER_KEYS: [keyof EndUser, RegExp][] = [
  ['id', /^end[ _]?user[ _]?(object[ _]?)?id$/i],
  ['ip', /^(end[ _]?user[ _]?ip|source[ _]?ip)$/i],
  ['application', /^application[ _]?name$/i],
  ['tenant', /^end[ _]?user[ _]?tenant[ _]?id$/i],
];
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

function endUserOf(f: DefenderFields): EndUser {
  const out: EndUser = {};
  for (const [key, value] of Object.entries(f.extended)) {
    if (typeof value !== 'string' || !value) continue;
    const field = END_USER_KEYS.find(([, re]) => re.test(key))?.[0];
    if (!field || out[field]) continue;
    if ((field === 'id' || field === 'tenant') && !isGuid(value)) continue;
    if (field === 'ip' && !IPV4.test(value)) continue;
    out[field] = field === 'application' ? value.slice(0, 256) : value.toLowerCase();
  }
  return out;
}

/**
 * The actor: an account entity Defender correlated (its Entra object id), else the end user the
 * application named; never certain. The end user's address comes along as an alias.
 */
function principalOf(entities: Json[], endUser: EndUser, subscription: string): PrincipalRef | null {
  const account = entities.find(
    (e) => e.type === 'account' && typeof e.aadUserId === 'string' && isGuid(e.aadUserId),
  );
  const ip =
    endUser.ip ??
    (entities.find((e) => e.type === 'ip' && typeof e.address === 'string')?.address as string | undefined);
  const aliases: PrincipalAlias[] = ip && IPV4.test(ip) ? [{ type: 'ip', value: ip }] : [];
  if (account) {
    const name = typeof account.name === 'string' ? account.name.slice(0, 256) : undefined;
    return {
      id: (account.aadUserId as string).toLowerCase(),
      kind: 'unknown',
      account: subscription,
      ...(name ? { name } : {}),
      aliases,
      certain: false,
    };
  }
  if (endUser.id) {
    return {
      id: endUser.id,
      kind: 'entra-user',
      account: endUser.tenant ?? subscription,
      aliases,
      certain: false,
    };
  }
  return null;
}

/** A few facts responders read first; free text fields stay in the journal's copy of the event. */
function contextOf(extended: Json): Record<string, unknown> {
  const pick = (key: string) =>
    typeof extended[key] === 'string' ? (extended[key] as string).slice(0, 256) : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, name] of [
    ['client IP address', 'clientIp'],
    ['authentication type', 'authenticationType'],
    ['operations types', 'operations'],
    ['extracted data', 'extractedData'],
    ['extracted blobs', 'extractedBlobs'],
    ['container', 'container'],
  ] as const) {
    const value = pick(key) ?? pick(key.replace(/^\w/, (c) => c.toUpperCase()));
    if (value) out[name] = value;
  }
  return out;
}
