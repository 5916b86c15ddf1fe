import type { IncidentState, Phase } from '../journal.ts';

/** One moment of the incident, in UTC. */
export interface TimelineEvent {
  at: string;
  kind:
    | 'first-activity'
    | 'awareness'
    | 'classification'
    | 'before'
    | 'after'
    | 'sealed'
    | 'release-requested'
    | 'report';
  phase?: Phase;
  actionId?: string;
  label: string;
}

/** The incident's moments from its journal, oldest first; entries at the same instant keep their order. */
export function timelineOf(
  state: IncidentState,
  times: { firstActivity: string; awareAt: string; classifiedAt: string },
): TimelineEvent[] {
  const { record } = state;
  const alert = record.alert;
  const events: TimelineEvent[] = [
    {
      at: times.firstActivity,
      kind: 'first-activity',
      label: `first observed activity (${alert.source} ${alert.type})`,
    },
    {
      at: times.awareAt,
      kind: 'awareness',
      label: `Tourniquet received the alert (${alert.source} ${alert.id})`,
    },
    {
      at: times.classifiedAt,
      kind: 'classification',
      label: `decided to contain: ${record.decision.reason}`,
    },
  ];
  const kinds = new Map(record.decision.actions.map((a) => [a.id, a.kind]));
  for (const phase of ['contain', 'release'] as const) {
    for (const [id, history] of state.phases[phase]) {
      for (const a of history.attempts) {
        const what = `${phase === 'release' ? 'undo ' : ''}${id} ${kinds.get(id) ?? ''}`.trim();
        const n = a.attempt > 1 ? ` (attempt ${a.attempt})` : '';
        if (a.before)
          events.push({
            at: a.before.at,
            kind: 'before',
            phase,
            actionId: id,
            label: `${what}: before-state recorded${n}`,
          });
        if (a.after) {
          const error = a.after.error ? `: ${a.after.error}` : '';
          events.push({
            at: a.after.at,
            kind: 'after',
            phase,
            actionId: id,
            label: `${what}: ${a.after.outcome}${n}${error}`,
          });
        }
      }
    }
  }
  for (const r of state.releaseRequests) {
    events.push({
      at: r.at,
      kind: 'release-requested',
      phase: 'release',
      label: `release approved by ${r.approver}: ${r.reason}`,
    });
  }
  for (const s of state.seals) {
    events.push({
      at: s.at,
      kind: 'sealed',
      phase: s.phase,
      label: `journal sealed (${s.phase}, seal ${s.seal}, ${s.entries.length} entries)`,
    });
  }
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at) || a.i - b.i)
    .map(({ e }) => e);
}
