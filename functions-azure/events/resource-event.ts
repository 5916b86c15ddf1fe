import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import {
  assignmentScope,
  canonicalOperation,
  localAuthFact,
  operationSeverity,
  resourceRefs,
} from './arm-operation.ts';
import { claimsPrincipal } from './claims-principal.ts';
import type { Envelope } from './envelope.ts';
import { guid, jsonObject, optObj, optStr, reject, str } from './fields.ts';

const ACTED = new Set([
  'Microsoft.Resources.ResourceWriteSuccess',
  'Microsoft.Resources.ResourceActionSuccess',
]);

/**
 * Azure Resource Manager events from a subscription or resource group system topic
 * (MicrosoftDocs/azure-docs articles/event-grid/event-schema-subscriptions.md). Only operations
 * that succeeded matter; failures and cancellations changed nothing. The type is the operation
 * name (`Microsoft.Storage/storageAccounts/listKeys/action`), the actor comes from the claims.
 */
export function parseResourceEvent(e: Envelope, path: string): ParsedEvent {
  if (!ACTED.has(e.type)) return { kind: 'ignored', reason: `${e.type}: nothing was changed or read` };
  const d = e.data;
  const subscription = guid(d.subscriptionId, `${path}.data.subscriptionId`);
  const tenant = guid(d.tenantId, `${path}.data.tenantId`);
  if (!e.topic.toLowerCase().startsWith(`/subscriptions/${subscription}`)) {
    return reject(`${path} topic ${e.topic} is not in subscription ${subscription} of its data`);
  }
  const status = optStr(d.status, `${path}.data.status`, 64);
  if (status && status !== 'Succeeded') return { kind: 'ignored', reason: `operation status ${status}` };
  const operation = canonicalOperation(str(d.operationName, `${path}.data.operationName`, 256));
  const resourceUri = str(d.resourceUri, `${path}.data.resourceUri`, 2048);
  if (!resourceUri.toLowerCase().startsWith(`/subscriptions/${subscription}`)) {
    return reject(`${path}.data.resourceUri is not in subscription ${subscription}`);
  }
  const authorization = optObj(d.authorization, `${path}.data.authorization`);
  const claims = jsonObject(d.claims, `${path}.data.claims`);
  const httpRequest = jsonObject(d.httpRequest, `${path}.data.httpRequest`);
  const isAssignment = operation === 'Microsoft.Authorization/roleAssignments/write';
  const scope = isAssignment ? assignmentScope(resourceUri) : resourceUri;
  const clientIp = optStr(httpRequest?.clientIpAddress, `${path}.data.httpRequest.clientIpAddress`, 64);
  // Resource events carry no request body: what an account write changed is unknown.
  const facts = localAuthFact(operation, undefined);
  const alert: Alert = {
    id: e.id,
    dedupeKey: `azure:eventgrid:${subscription}:${e.id}`,
    cloud: 'azure',
    source: 'eventgrid',
    type: operation,
    severity: operationSeverity(operation, facts),
    observedAt: e.time,
    account: subscription,
    principal: claimsPrincipal(claims, authorization, tenant),
    resources: resourceRefs(scope),
    sample: false,
    title: `${operation} on ${scope}`,
    context: {
      scope,
      resourceUri,
      ...facts,
      ...(optStr(d.correlationId, `${path}.data.correlationId`, 128)
        ? { correlationId: d.correlationId }
        : {}),
      ...(clientIp ? { clientIp } : {}),
    },
  };
  return { kind: 'alerts', alerts: [alert] };
}
