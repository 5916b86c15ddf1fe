import type { Config } from '../../../core/config.ts';
import type { decide } from '../../../core/decide.ts';
import type { CorrelatedAlert } from '../../../core/detect/correlate.ts';
import { findingMode } from '../../../core/detect/modes.ts';

/** The JSON line for one alert: what it is, who, on what, why, and what the decision would be. */
export function alertLine(
  alert: CorrelatedAlert,
  decision: ReturnType<typeof decide>,
  config: Config,
  signal = false,
) {
  return {
    ...(signal ? { line: 'signal' as const } : { line: 'alert' as const }),
    type: alert.type,
    actor: alert.actor.id,
    confidence: alert.confidence,
    signals: alert.signals,
    mode: findingMode(config, alert),
    /** The decision it would get if its detectors were in `contain` mode (the scan never acts). */
    wouldDecide: decision.decision,
    severity: alert.severity,
    principal: alert.principal?.id ?? null,
    principalKind: alert.principal?.kind ?? null,
    certain: alert.principal?.certain ?? null,
    resources: alert.resources.map((r) => r.id),
    evidence: alert.context.evidence ?? {},
    title: alert.title,
    cloud: alert.cloud,
    account: alert.account,
    observedAt: alert.observedAt,
    rule: alert.context.rule,
    dedupeKey: alert.dedupeKey,
    decision: {
      decision: decision.decision,
      reason: decision.reason,
      ...(decision.playbook ? { playbook: decision.playbook } : {}),
      ...(decision.incidentId ? { incidentId: decision.incidentId } : {}),
      actions: decision.actions.map((a) => ({ kind: a.kind, target: a.target })),
    },
  };
}
