import type { Action } from '../actions.ts';
import type { PrincipalRef, ResourceRef } from '../alert.ts';
import type { Outcome } from '../executor.ts';
import { type IncidentState, isSuccess, type Phase } from '../journal.ts';
import type { FindingResource, FindingResourceKind, FindingWorkflow, SecurityFinding } from './finding.ts';

/** The id of an incident's finding: stable across updates, so a re-import updates it. */
export function incidentFindingId(incidentId: string): string {
  return `tourniquet/incident/${incidentId}`;
}

const RESOURCE_KINDS: Partial<Record<ResourceRef['kind'], FindingResourceKind>> = {
  bucket: 'bucket',
  'storage-account': 'storage-account',
  container: 'container',
  model: 'model-endpoint',
  'ai-account': 'cognitive-account',
};

/**
 * An incident as the finding SOC tools read (emitted as ASFF by asff.ts and OCSF Detection Finding
 * by ocsf.ts), from its journal: what was seen (the alert), what was done (each action's outcome),
 * and where it stands: `new` once contained, `notified` once humans were told (the escalation was
 * delivered), `resolved` after release. Nothing from event bodies or credentials goes in.
 *
 * @example
 * const finding = incidentFinding(await journal.load(id), 'contain', new Date());
 */
export function incidentFinding(state: IncidentState, phase: Phase, at: Date): SecurityFinding {
  const { record } = state;
  const { alert, decision } = record;
  const outcomes = decision.actions.map((a) => [a, outcomeOf(state, a)] as const);
  const done = outcomes.filter(([, o]) => o && isSuccess(o)).map(([a]) => a);
  const workflow: FindingWorkflow =
    phase === 'release' || state.releaseRequests.length
      ? 'resolved'
      : done.some((a) => a.kind === 'escalate')
        ? 'notified'
        : 'new';
  const changed = done.filter((a) => a.category !== 'escalate' && a.category !== 'snapshot');
  const verb = workflow === 'resolved' ? 'released' : changed.length ? 'contained' : 'escalated';
  const actors = [alert.principal, ...(alert.actors ?? [])].filter((p): p is PrincipalRef => !!p);
  const resources: FindingResource[] = [
    ...actors.map((p) => ({ kind: principalKind(p), id: p.id, ...(p.name ? { name: p.name } : {}) })),
    ...alert.resources
      .filter((r) => r.kind !== 'object' && r.kind !== 'blob')
      .map((r) => ({ kind: RESOURCE_KINDS[r.kind] ?? ('other' as const), id: r.id })),
  ];
  const summary = outcomes.map(([a, o]) => `${a.kind} ${a.target}: ${o ?? 'not run'}`).join('; ');
  return {
    id: incidentFindingId(record.incidentId),
    kind: 'incident',
    generator: `tourniquet/playbook/${decision.playbook ?? 'manual'}`,
    title: `${alert.type} ${verb} by Tourniquet (${record.incidentId})`,
    description: decision.reason,
    severity: alert.severity,
    cloud: alert.cloud,
    account: alert.account,
    ...(alert.region ? { region: alert.region } : {}),
    firstSeenAt: alert.observedAt,
    lastSeenAt: alert.observedAt,
    createdAt: record.createdAt,
    updatedAt: at.toISOString(),
    resources: resources.length ? resources : [{ kind: 'account', id: alert.account }],
    types: ['Effects/Data Exfiltration'],
    remediation: {
      text:
        workflow === 'resolved'
          ? 'Released by a responder: the recorded before-states were restored.'
          : `Review the evidence pack (tourniquet report ${record.incidentId}); undo with tourniquet release --incident ${record.incidentId}.`,
    },
    state: workflow === 'resolved' ? 'resolved' : 'active',
    workflow,
    properties: {
      'tourniquet/incident': record.incidentId,
      'tourniquet/alert': `${alert.source} ${alert.id}`,
      'tourniquet/mode': decision.mode,
      'tourniquet/actions': summary,
    },
  };
}

function outcomeOf(state: IncidentState, action: Action): Outcome | undefined {
  const attempts = state.phases.contain.get(action.id)?.attempts ?? [];
  return attempts.filter((a) => a.after).at(-1)?.after?.outcome;
}

function principalKind(p: PrincipalRef): FindingResourceKind {
  if (p.kind === 'role' || p.kind === 'user') return p.kind;
  if (p.kind === 'service-principal' || p.kind === 'managed-identity') return 'service-principal';
  return 'other';
}
