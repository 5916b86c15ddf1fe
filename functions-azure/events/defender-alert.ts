import type { Alert, PrincipalRef, ResourceRef } from '../../core/alert.ts';
import { isGuid } from '../../core/names.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { blobUrl, containerResourceId, isContainerName, parseBlobUrl } from '../../packs/azure/names.ts';
import { storageRefs } from './arm-operation.ts';
import {
  isObject,
  type Json,
  obj,
  optArr,
  optObj,
  optStr,
  reject,
  str,
  subscriptionOf,
  time,
} from './fields.ts';

const SEVERITY: Record<string, number> = { High: 8, Medium: 5, Low: 2, Informational: 0 };

export function isDefenderAlert(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.type === 'string' &&
    /^Microsoft\.Security\/Locations\/alerts$/i.test(value.type)
  );
}

/**
 * A Microsoft Defender for Cloud security alert in the alerts API schema (2022-01-01; examples in
 * Azure/azure-rest-api-specs specification/security/…/examples/Alerts, as continuous export and
 * workflow automation deliver it). Storage alerts name the account in `resourceIdentifiers` and,
 * often, the container in `extendedProperties.container`. The actor, when Defender names one, is
 * an entity it correlated, never certain enough to revoke by itself.
 */
export function parseDefenderAlert(raw: unknown, path: string): ParsedEvent {
  const a = obj(raw, path);
  const id = str(a.id, `${path}.id`, 1024);
  if (!/\/providers\/Microsoft\.Security\/locations\/[^/]+\/alerts\/[^/]+$/i.test(id)) {
    return reject(`${path}.id must be a Microsoft.Security alert resource id`);
  }
  const subscription = subscriptionOf(id, `${path}.id`);
  const p = obj(a.properties, `${path}.properties`);
  const status = optStr(p.status, `${path}.properties.status`, 32);
  if (status === 'Resolved' || status === 'Dismissed')
    return { kind: 'ignored', reason: `Defender alert is ${status}` };
  const alertType = str(p.alertType, `${path}.properties.alertType`, 256);
  const displayName = optStr(p.alertDisplayName, `${path}.properties.alertDisplayName`, 512);
  const severity = SEVERITY[str(p.severity, `${path}.properties.severity`, 32)];
  if (severity === undefined)
    return reject(`${path}.properties.severity must be High, Medium, Low or Informational`);
  const systemId = str(p.systemAlertId ?? a.name, `${path}.properties.systemAlertId`, 256);
  const extended = optObj(p.extendedProperties, `${path}.properties.extendedProperties`) ?? {};
  const entities = optArr(p.entities, `${path}.properties.entities`, 500).filter(isObject);
  const alert: Alert = {
    id: systemId,
    dedupeKey: `azure:defender:${subscription}:${systemId}`,
    cloud: 'azure',
    source: 'defender',
    type: alertType.replace(/^SIMULATED_/, ''),
    severity,
    observedAt: time(p.startTimeUtc ?? p.timeGeneratedUtc, `${path}.properties.startTimeUtc`),
    account: subscription,
    principal: entityPrincipal(entities, subscription),
    resources: resources(p, extended, entities, path),
    sample: alertType.startsWith('SIMULATED_') || !!displayName?.startsWith('[SAMPLE ALERT]'),
    ...(displayName ? { title: displayName } : {}),
    context: contextOf(extended),
  };
  return { kind: 'alerts', alerts: [alert] };
}

function resources(p: Json, extended: Json, entities: Json[], path: string): ResourceRef[] {
  const ids = optArr(p.resourceIdentifiers, `${path}.properties.resourceIdentifiers`, 100)
    .filter(isObject)
    .filter((r) => r.type === 'AzureResource')
    .map((r) => str(r.azureResourceId, `${path}.properties.resourceIdentifiers[].azureResourceId`, 2048));
  const refs = ids.flatMap((id) => storageRefs(id));
  const accounts = refs.filter((r) => r.kind === 'storage-account');
  const container = typeof extended.container === 'string' ? extended.container : undefined;
  // One account and a named container: the container is what the alert is about.
  const narrowed =
    accounts.length === 1 && accounts[0] && container && isContainerName(container)
      ? [{ kind: 'container' as const, id: containerResourceId(accounts[0].id, container) }]
      : refs;
  const blobs = entities
    .filter((e) => e.type === 'blob' && typeof e.url === 'string')
    .map((e) => parseBlobUrl(e.url as string))
    .filter((b) => !!b)
    .map((b) => ({ kind: 'blob' as const, id: blobUrl(b.account, b.container, b.blob) }));
  return [...narrowed, ...blobs];
}

function entityPrincipal(entities: Json[], subscription: string): PrincipalRef | null {
  const account = entities.find(
    (e) => e.type === 'account' && typeof e.aadUserId === 'string' && isGuid(e.aadUserId),
  );
  if (!account) return null;
  const id = (account.aadUserId as string).toLowerCase();
  const name = typeof account.name === 'string' ? account.name.slice(0, 256) : undefined;
  return {
    id,
    kind: 'unknown',
    account: subscription,
    ...(name ? { name } : {}),
    aliases: [],
    certain: false,
  };
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
