import { createHash } from 'node:crypto';
import { type Action, type Decision, summarizeAlert } from '../actions.ts';
import type { Alert, Cloud, PrincipalRef, ResourceRef } from '../alert.ts';
import type { Config } from '../config.ts';

/** What a posture change is: removing stale standing access, or a just-in-time grant. */
export const CHANGE_TYPES = {
  standingAccess: 'Posture:StandingAccessRemoved',
  grant: 'Posture:JustInTimeGrant',
} as const;
export type ChangeType = (typeof CHANGE_TYPES)[keyof typeof CHANGE_TYPES];

export interface PostureChange {
  type: ChangeType;
  cloud: Cloud;
  /** AWS account or Azure subscription the actions run in. */
  account: string;
  actions: Action[];
  principal: PrincipalRef | null;
  resources: ResourceRef[];
  reason: string;
  now: Date;
  /** A grant's id is given (it names its policies); a fix's is derived from its actions. */
  incidentId?: string;
}

/**
 * A posture change as an incident the journal keeps like any other: a `contain` decision with the
 * exact actions, under a synthetic by-hand alert. `respond` then records every before-state and
 * inverse, `tourniquet release` undoes it, and a repeat changes nothing; dry-run unless the
 * configuration says `"mode": "enforce"`.
 *
 * @example
 * const { decision, alert } = changeDecision({ type: CHANGE_TYPES.grant, cloud: 'aws', … }, config);
 * await respond({ decision, alert, trigger: { kind: 'manual', approver, reason } }, deps);
 */
export function changeDecision(change: PostureChange, config: Config): { decision: Decision; alert: Alert } {
  const digest = createHash('sha256')
    .update(JSON.stringify(change.actions.map((a) => [a.kind, a.target, a.params])))
    .digest('hex')
    .slice(0, 16);
  const kind = change.type === CHANGE_TYPES.grant ? 'grant' : 'posture-fix';
  const incidentId =
    change.incidentId ??
    `${change.cloud}-${kind}-${change.now.toISOString().slice(0, 10).replace(/-/g, '')}-${digest}`;
  const alert: Alert = {
    id: incidentId,
    dedupeKey: `${change.cloud}:manual:${change.account}:${kind}:${incidentId}`,
    cloud: change.cloud,
    source: 'manual',
    type: change.type,
    severity: 0,
    observedAt: change.now.toISOString(),
    account: change.account,
    principal: change.principal,
    resources: change.resources,
    sample: false,
    title: change.reason,
    context: {},
  };
  return {
    alert,
    decision: {
      decision: 'contain',
      reason: change.reason,
      incidentId,
      mode: config.mode,
      playbook: kind,
      alert: summarizeAlert(alert),
      actions: change.actions,
    },
  };
}
