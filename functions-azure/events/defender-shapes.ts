import { isObject, type Json, jsonObject, obj, optArr, optObj, optStr, reject, str } from './fields.ts';

/**
 * A Defender for Cloud alert, whatever shape it was delivered in, reduced to the fields Tourniquet
 * reads. Values are still untrusted: defender-alert.ts checks them.
 */
export interface DefenderFields {
  /** How it came: the alerts API, continuous export / Log Analytics `SecurityAlert`, or a Logic App. */
  shape: 'alerts-api' | 'security-alert' | 'workflow-automation';
  systemAlertId: unknown;
  alertType: unknown;
  displayName: unknown;
  severity: unknown;
  status: unknown;
  startTime: unknown;
  /** The alert's own id when it has one (alerts API): it names the subscription. */
  alertId?: string;
  /** Every Azure resource id the alert names (affected resource, resource identifiers, entities). */
  resourceIds: string[];
  /** Entities with their keys in camelCase (the alerts API's; Log Analytics writes PascalCase). */
  entities: Json[];
  extended: Json;
  /** Where each field was read, for rejections. */
  at: { root: string; props: string };
}

/** The alerts API (2022-01-01): `{ id, name, type: Microsoft.Security/Locations/alerts, properties }`. */
export function isApiAlert(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.type === 'string' &&
    /^Microsoft\.Security\/Locations\/alerts$/i.test(value.type)
  );
}

/**
 * The flat PascalCase shapes: continuous export to Log Analytics / Event Hubs as the `SecurityAlert`
 * table has it (`AlertType`, `SystemAlertId`, `AlertSeverity`, `Entities` and `ExtendedProperties`
 * as JSON text, `ResourceId`), and workflow automation's Logic App trigger body (`AlertDisplayName`,
 * `Severity`, `StartTimeUtc`, `ResourceIdentifiers`, objects for entities and properties).
 */
export function isFlatAlert(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.AlertType === 'string' &&
    typeof value.SystemAlertId === 'string' &&
    value.properties === undefined
  );
}

export function readApiAlert(raw: unknown, path: string): DefenderFields {
  const a = obj(raw, path);
  const id = str(a.id, `${path}.id`, 1024);
  if (!/\/providers\/Microsoft\.Security\/locations\/[^/]+\/alerts\/[^/]+$/i.test(id)) {
    return reject(`${path}.id must be a Microsoft.Security alert resource id`);
  }
  const props = `${path}.properties`;
  const p = obj(a.properties, props);
  return {
    shape: 'alerts-api',
    systemAlertId: p.systemAlertId ?? a.name,
    alertType: p.alertType,
    displayName: p.alertDisplayName,
    severity: p.severity,
    status: p.status,
    startTime: p.startTimeUtc ?? p.timeGeneratedUtc,
    alertId: id,
    resourceIds: identifierIds(p.resourceIdentifiers, `${props}.resourceIdentifiers`),
    entities: optArr(p.entities, `${props}.entities`, 500).filter(isObject).map(camel),
    extended: optObj(p.extendedProperties, `${props}.extendedProperties`) ?? {},
    at: { root: path, props },
  };
}

export function readFlatAlert(raw: unknown, path: string): DefenderFields {
  const a = obj(raw, path);
  const logAnalytics = a.Type === 'SecurityAlert' || a.TimeGenerated !== undefined;
  // Log Analytics keeps these as JSON text; the Logic App connector as JSON values.
  const entities =
    typeof a.Entities === 'string'
      ? jsonArray(a.Entities, `${path}.Entities`)
      : optArr(a.Entities, `${path}.Entities`, 500);
  const extended = jsonObject(a.ExtendedProperties, `${path}.ExtendedProperties`) ?? {};
  const affected = optStr(a.ResourceId, `${path}.ResourceId`, 2048);
  return {
    shape: logAnalytics ? 'security-alert' : 'workflow-automation',
    systemAlertId: a.SystemAlertId,
    alertType: a.AlertType,
    displayName: a.AlertDisplayName ?? a.DisplayName ?? a.AlertName,
    severity: a.Severity ?? a.AlertSeverity,
    status: a.Status,
    startTime: a.StartTimeUtc ?? a.StartTime ?? a.TimeGeneratedUtc ?? a.TimeGenerated,
    resourceIds: [
      ...(affected ? [affected] : []),
      ...identifierIds(a.ResourceIdentifiers, `${path}.ResourceIdentifiers`),
    ],
    entities: entities.filter(isObject).map(camel),
    extended,
    at: { root: path, props: path },
  };
}

/** `resourceIdentifiers[]` entries of type AzureResource (either casing): their resource ids. */
function identifierIds(value: unknown, path: string): string[] {
  return optArr(value, path, 100)
    .filter(isObject)
    .map(camel)
    .filter((r) => r.type === 'AzureResource')
    .map((r, i) => str(r.azureResourceId, `${path}[${i}].azureResourceId`, 2048));
}

function jsonArray(text: string, path: string): unknown[] {
  if (text.length > 512 * 1024) return reject(`${path} is too long`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return reject(`${path} is not valid JSON`);
  }
  return optArr(parsed, path, 500);
}

/** `{ Type, AadUserId, Address }` → `{ type, aadUserId, address }` (`$id` and `$ref` kept). */
function camel(entity: Json): Json {
  return Object.fromEntries(
    Object.entries(entity).map(([k, v]) => [
      k.startsWith('$') ? k : k.charAt(0).toLowerCase() + k.slice(1),
      v,
    ]),
  );
}
