import type { Action, ActionKind, ActionOfKind } from './actions.ts';

/** What every action ends with. `skipped` carries its reason as a code (`skip`) and in words (`error`). */
export const OUTCOMES = ['applied', 'already-applied', 'failed', 'skipped-dry-run', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Why an action was skipped: an action it needs did not succeed (`dependency-failed`, a failure:
 * the event must come back), another invocation holds it (`held-elsewhere`, comes back too), an
 * earlier delivery claimed the incident (`claimed-earlier`); on release, it never started
 * (`never-started`) or it is evidence or a notification, which stay (`kept`); on containment, a
 * release was requested before it could change anything (`released`: it never will).
 */
export const SKIP_REASONS = [
  'dependency-failed',
  'held-elsewhere',
  'claimed-earlier',
  'never-started',
  'kept',
  'released',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface ActionResult {
  actionId: string;
  kind: ActionKind;
  category: Action['category'];
  target: string;
  outcome: Outcome;
  /** Set when `outcome` is `skipped`: why, as a code. */
  skip?: SkipReason;
  /** What the executor observed or did (recorded versions, keys deactivated, residual window…). */
  details?: Record<string, unknown>;
  error?: string;
  attempts?: number;
}

export interface Applied {
  outcome: 'applied' | 'already-applied';
  details?: Record<string, unknown>;
}

export interface ExecContext {
  incidentId: string;
  /** Results of the actions this one depends on or waits for (`dependsOn`, `after`), by action id. */
  results: ReadonlyMap<string, ActionResult>;
}

/**
 * Performs one action kind on one cloud. `read` never changes anything, so a before-state can be
 * recorded before `apply` acts; `undo` reverts an applied change from that before-state.
 * Adapters translate vendor errors: "already so" is an outcome, throttling is a TransientError,
 * anything unknown is rethrown with its cause.
 */
export interface Executor<A extends Action = Action, B = unknown> {
  /** Everything the executor calls, for read, apply and undo (IAM actions, Azure permissions). */
  permissions: readonly string[];
  read(action: A, ctx: ExecContext): Promise<B>;
  /**
   * The before-state `read` would return before the incident was claimed, when it is known by
   * construction (an inline policy whose name is unique to the incident cannot exist before the
   * claim). `respond` records it in the claim itself, so the first attempt neither reads nor writes
   * a before-entry: the change follows the claim in the next round. Later attempts read as usual.
   */
  knownBefore?(action: A): B;
  apply(action: A, before: B, ctx: ExecContext): Promise<Applied>;
  undo(action: A, before: B, ctx: ExecContext): Promise<Applied>;
}

/** A cloud's registry: one executor per action kind it supports. */
export type ExecutorRegistry<K extends ActionKind = ActionKind> = {
  [P in K]: Executor<ActionOfKind<P>, unknown>;
};
