import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import {
  canonicalOperation,
  localAuthFact,
  operationSeverity,
  resourceRefs,
  storageRefs,
} from './arm-operation.ts';
import { claimsPrincipal } from './claims-principal.ts';
import {
  arr,
  guid,
  isObject,
  type Json,
  jsonObject,
  obj,
  optArr,
  optObj,
  optStr,
  str,
  subscriptionOf,
  time,
} from './fields.ts';

const SEVERITY: Record<string, number> = { Sev0: 10, Sev1: 8, Sev2: 6, Sev3: 4, Sev4: 2 };

export function isMonitorAlert(value: unknown): boolean {
  return isObject(value) && value.schemaId === 'azureMonitorCommonAlertSchema';
}

/**
 * An Azure Monitor alert in the common alert schema
 * (MicrosoftDocs/azure-docs articles/azure-monitor/alerts/alerts-common-schema.md), as an action
 * group delivers it. Resolved alerts are ignored. Types: the operation name for Activity Log
 * administrative alerts (the same names as Event Grid resource events), `ActivityLog:<operation>`
 * for the other Activity Log sources, `Metric:<metric>` and `Log:<rule>`.
 */
export function parseMonitorAlert(raw: unknown, path: string): ParsedEvent {
  const body = obj(raw, path);
  const data = obj(body.data, `${path}.data`);
  const ess = obj(data.essentials, `${path}.data.essentials`);
  const alertId = str(ess.alertId, `${path}.data.essentials.alertId`, 1024);
  const subscription = subscriptionOf(alertId, `${path}.data.essentials.alertId`);
  const condition = str(ess.monitorCondition, `${path}.data.essentials.monitorCondition`, 32);
  if (condition !== 'Fired') return { kind: 'ignored', reason: `Azure Monitor alert is ${condition}` };
  const rule = str(ess.alertRule, `${path}.data.essentials.alertRule`, 512);
  const signal = str(ess.signalType, `${path}.data.essentials.signalType`, 32);
  const severity = SEVERITY[str(ess.severity, `${path}.data.essentials.severity`, 8)] ?? 0;
  const targets = arr(ess.alertTargetIDs ?? [], `${path}.data.essentials.alertTargetIDs`, 100).map((t, i) =>
    str(t, `${path}.data.essentials.alertTargetIDs[${i}]`, 2048),
  );
  const ctx = optObj(data.alertContext, `${path}.data.alertContext`) ?? {};
  const base = {
    id: alertId.slice(alertId.lastIndexOf('/') + 1),
    dedupeKey: `azure:monitor:${subscription}:${alertId.toLowerCase()}`,
    cloud: 'azure' as const,
    source: 'monitor' as const,
    severity,
    observedAt: time(ess.firedDateTime, `${path}.data.essentials.firedDateTime`),
    account: subscription,
    sample: false,
    title: rule,
  };
  if (signal === 'Activity Log') return { kind: 'alerts', alerts: [activityLog(base, ctx, targets, path)] };
  const type = signal === 'Metric' ? `Metric:${metricName(ctx, path)}` : `${signal}:${rule}`;
  const alert: Alert = {
    ...base,
    type,
    principal: null,
    resources: targets.flatMap((t) => storageRefs(t)),
    context: { alertRule: rule, signalType: signal },
  };
  return { kind: 'alerts', alerts: [alert] };
}

function activityLog(
  base: Omit<Alert, 'type' | 'principal' | 'resources' | 'context'>,
  ctx: Json,
  targets: string[],
  path: string,
): Alert {
  const operation = canonicalOperation(
    str(ctx.operationName, `${path}.data.alertContext.operationName`, 256),
  );
  const source = optStr(ctx.eventSource, `${path}.data.alertContext.eventSource`, 64) ?? 'Administrative';
  const authorization = optObj(ctx.authorization, `${path}.data.alertContext.authorization`);
  const claims = jsonObject(ctx.claims, `${path}.data.alertContext.claims`);
  const tenant = claims ? guidOr(claims['http://schemas.microsoft.com/identity/claims/tenantid']) : undefined;
  const scope = optStr(authorization?.scope, `${path}.data.alertContext.authorization.scope`, 2048);
  const status = optStr(ctx.status, `${path}.data.alertContext.status`, 64);
  const properties = optObj(ctx.properties, `${path}.data.alertContext.properties`);
  const body = jsonObject(
    properties?.requestbody ?? properties?.requestBody,
    `${path}.data.alertContext.properties.requestbody`,
  );
  const facts = localAuthFact(operation, body);
  const administrative = source === 'Administrative' && status === 'Succeeded';
  return {
    ...base,
    ...(facts.localAuth ? { severity: Math.max(base.severity, operationSeverity(operation, facts)) } : {}),
    type: administrative ? operation : `ActivityLog:${operation}`,
    principal: claims ? claimsPrincipal(claims, authorization, tenant ?? base.account) : null,
    resources: [
      ...new Map([scope, ...targets].flatMap((t) => resourceRefs(t)).map((r) => [r.id, r])).values(),
    ],
    context: {
      alertRule: base.title,
      signalType: 'Activity Log',
      eventSource: source,
      ...(scope ? { scope } : {}),
      ...facts,
    },
  };
}

function metricName(ctx: Json, path: string): string {
  const condition = optObj(ctx.condition, `${path}.data.alertContext.condition`);
  const first = optArr(condition?.allOf, `${path}.data.alertContext.condition.allOf`, 50)[0];
  return isObject(first)
    ? str(first.metricName, `${path}.data.alertContext.condition.allOf[0].metricName`, 256)
    : 'unknown';
}

function guidOr(value: unknown): string | undefined {
  try {
    return guid(value, 'tenant');
  } catch {
    return undefined;
  }
}
