import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import type { Envelope } from './envelope.ts';
import { guid, obj, reject, str } from './fields.ts';

/**
 * `Microsoft.Graph.AlertCreated` (MicrosoftDocs/azure-docs articles/event-grid/security-alert-events.md),
 * a CloudEvent from a Microsoft Graph partner topic. It carries the alert id, not its contents, so
 * it can only be escalated; `clientState` (a shared secret) is never copied into the alert.
 */
export function parseGraphAlert(e: Envelope, path: string): ParsedEvent {
  const source = /^\/tenants\/([^/]+)\/applications\/([^/]+)$/.exec(e.topic);
  if (!source) return reject(`${path}.source must be /tenants/<tenant-id>/applications/<application-id>`);
  const tenant = guid(source[1], `${path}.source tenant`);
  const dataTenant = guid(e.data.tenantId, `${path}.data.tenantId`);
  if (dataTenant !== tenant) return reject(`${path}.data.tenantId does not match the source tenant`);
  const resourceData = obj(e.data.resourceData, `${path}.data.resourceData`);
  const alertId = str(resourceData.id, `${path}.data.resourceData.id`, 256);
  if (!/^[\w.:-]+$/.test(alertId)) return reject(`${path}.data.resourceData.id is not an alert id`);
  const alert: Alert = {
    id: alertId,
    dedupeKey: `azure:graph:${tenant}:${alertId}`,
    cloud: 'azure',
    source: 'graph',
    type: e.type,
    severity: 7,
    observedAt: e.time,
    account: tenant,
    principal: null,
    resources: [],
    sample: false,
    title: `Microsoft Graph security alert ${alertId}`,
    context: { graphAlertId: alertId },
  };
  return { kind: 'alerts', alerts: [alert] };
}
