import type { Action } from '../actions.ts';
import type { ActionResult, Outcome } from '../executor.ts';
import type { ActionHistory } from './entries.ts';

export type ActionStatus =
  | { status: 'done'; result: ActionResult; firstBefore: unknown }
  | { status: 'running'; attempt: number }
  | { status: 'retry'; nextAttempt: number; firstBefore?: unknown }
  | { status: 'new' };

/** Where one action stands in the journal, as seen at `now`. */
export function actionStatus(action: Action, history: ActionHistory | undefined, now: Date): ActionStatus {
  if (!history?.attempts.length) return { status: 'new' };
  const firstBefore = history.attempts.find((a) => a.before)?.before?.before;
  const done = history.attempts.find((a) => a.after && isSuccess(a.after.outcome));
  if (done?.after) {
    const { outcome, details } = done.after;
    const result: ActionResult = {
      actionId: action.id,
      kind: action.kind,
      category: action.category,
      target: action.target,
      outcome,
      ...(details ? { details } : {}),
    };
    return { status: 'done', result, firstBefore };
  }
  const last = history.attempts[history.attempts.length - 1];
  if (last?.before && !last.after && Date.parse(last.before.deadline) > now.getTime()) {
    return { status: 'running', attempt: last.attempt };
  }
  return { status: 'retry', nextAttempt: (last?.attempt ?? 0) + 1, firstBefore };
}

export function isSuccess(outcome: Outcome): boolean {
  return outcome === 'applied' || outcome === 'already-applied';
}

/**
 * What a before-entry follows: the last entry of the action's previous attempt when there was one,
 * else `start` (the claim for containment, the release request for release).
 */
export function beforePrev(history: ActionHistory | undefined, attempt: number, start: string): string {
  const previous = history?.attempts.filter((a) => a.attempt < attempt).at(-1);
  return previous?.afterSha256 ?? previous?.beforeSha256 ?? start;
}
