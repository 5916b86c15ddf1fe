import type { Decision } from '../core/actions.ts';
import type { ActionResult } from '../core/executor.ts';

const MARK: Record<ActionResult['outcome'], string> = {
  applied: '✓',
  'already-applied': '=',
  failed: '✗',
  'skipped-dry-run': '·',
  skipped: '-',
};

/** A few human lines about a decision, for stderr. */
export function describeDecision(d: Decision): string {
  const head = `${d.decision.toUpperCase()}${d.incidentId ? ` ${d.incidentId}` : ''} (${d.mode}): ${d.reason}`;
  const lines = d.actions.map((a) => `  ${a.id} ${a.category.padEnd(10)} ${a.kind.padEnd(24)} ${a.target}`);
  return [head, ...lines].join('\n');
}

/** One progress line per finished action. */
export function describeResult(r: ActionResult): string {
  return `  ${MARK[r.outcome]} ${r.actionId} ${r.kind.padEnd(24)} ${r.target} ${r.outcome}${r.error ? `: ${r.error}` : ''}`;
}
