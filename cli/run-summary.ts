import type { Action, Decision } from '../core/actions.ts';
import type { ActionResult, Outcome } from '../core/executor.ts';
import type { Summary } from './output.ts';
import type { Tone } from './style.ts';
import type { Cell, Table } from './table.ts';

const OUTCOME_TONE: Record<Outcome, Tone> = {
  applied: 'good',
  'already-applied': 'good',
  failed: 'bad',
  'skipped-dry-run': 'warn',
  skipped: 'dim',
};

/**
 * What a run changed, in the words a responder reads first: `DRY RUN — nothing was changed: …`,
 * `ENFORCED — 4 changes applied, 1 failed` (`label` and `verb` name a release: RELEASED, undone).
 */
export function runHeadline(
  results: readonly ActionResult[],
  { label = 'ENFORCED', verb = 'applied' }: { label?: string; verb?: string } = {},
): Pick<Summary, 'headline' | 'tone'> {
  const n = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const failed = n('failed') + results.filter((r) => r.skip === 'dependency-failed').length;
  if (results.length && n('skipped-dry-run') === results.length)
    return {
      headline: `DRY RUN — nothing was changed: ${plural(results.length, 'action')} would run`,
      tone: 'warn',
    };
  const changed = n('applied');
  const parts = [
    `${plural(changed, 'change')} ${verb}`,
    ...(n('already-applied') ? [`${n('already-applied')} already in place`] : []),
    ...(failed ? [`${failed} failed`] : []),
  ];
  if (!changed && !failed)
    return { headline: `NOTHING CHANGED — ${parts.slice(1).join(', ') || 'nothing to do'}`, tone: 'good' };
  return { headline: `${label} — ${parts.join(', ')}`, tone: failed ? 'bad' : 'good' };
}

/** Who was told, from the escalation's result (or why nobody was). */
export function toldLine(results: readonly ActionResult[]): string {
  const escalations = results.filter((r) => r.kind === 'escalate');
  if (!escalations.length) return 'Told: nobody (this response has no escalation)';
  return escalations.map(told).join('\n');
}

function told(r: ActionResult): string {
  const where = r.details?.bus
    ? `the escalation event on EventBridge bus ${String(r.details.bus)} (to the humans topic and its subscriptions)`
    : r.details?.record
      ? `the tourniquet.escalation log line (Azure Monitor alert) and ${String(r.details.record)}`
      : 'the escalation';
  if (r.outcome === 'applied') return `Told: humans, through ${where}`;
  if (r.outcome === 'already-applied') return `Told: humans, earlier (${where})`;
  if (r.outcome === 'skipped-dry-run') return 'Told: nobody (dry run); the escalation would tell humans';
  return `Told: NOBODY — the escalation ${r.outcome}: ${r.error ?? ''}. Tell the on-call yourself.`;
}

/** One row per action result: what, where, how it ended (and why). */
export function resultsTable(results: readonly ActionResult[]): Table {
  return {
    name: 'RESULT',
    columns: ['ID', 'KIND', 'OUTCOME', 'TARGET'],
    rows: results.map((r) => [
      r.actionId,
      r.kind,
      {
        text: r.outcome === 'skipped' && r.skip ? `skipped (${r.skip})` : r.outcome,
        tone: OUTCOME_TONE[r.outcome],
      },
      r.error && r.outcome !== 'skipped-dry-run' ? `${r.target}  ${r.error}` : r.target,
    ]),
  };
}

/** One row per planned action. */
export function actionsTable(actions: readonly Action[]): Table {
  return {
    name: 'ACTION',
    columns: ['ID', 'CATEGORY', 'KIND', 'ACCOUNT', 'TARGET'],
    rows: actions.map((a) => [a.id, a.category, a.kind, a.account, a.target]),
  };
}

/** The decision as one text row: decision, incident, mode, reason. */
export function decisionRecord(d: Decision): Table {
  return {
    name: 'DECISION',
    columns: ['DECISION', 'INCIDENT', 'MODE', 'REASON'],
    rows: [[d.decision, d.incidentId ?? '-', d.mode, d.reason]],
  };
}

/** The decision's head line: what was decided about which incident, and why. */
export function decisionLines(d: Decision): (readonly Cell[])[] {
  const tone: Tone = d.decision === 'contain' ? 'bad' : d.decision === 'reject' ? 'warn' : 'good';
  return [
    [
      { text: d.decision.toUpperCase(), tone },
      ...(d.incidentId ? [{ text: d.incidentId, tone: 'strong' as const }] : []),
      `(mode ${d.mode})`,
    ],
    [d.reason],
  ];
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
