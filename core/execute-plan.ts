import type { Action } from './actions.ts';
import { describeError } from './errors.ts';
import type { ActionResult, Applied, ExecContext, Executor, ExecutorRegistry } from './executor.ts';
import type { AfterEntry, BeforeEntry } from './journal.ts';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.ts';

/** The `skipped` reason when another invocation holds an action: it finishes it, or a retry does. */
const HELD_ELSEWHERE = 'another invocation holds this action';

export interface Plan {
  incidentId: string;
  actions: readonly Action[];
}

/** Records each action before and after it changes anything; false means someone else holds it. */
export interface ActionLog {
  begin(entry: BeforeEntry): Promise<boolean>;
  finish(entry: AfterEntry): Promise<boolean>;
  /** Containment only: whether a release was requested (asked after each before-entry is written). */
  released?(): Promise<boolean>;
}

export interface ExecuteOptions {
  /** The one dry-run switch: nothing is read, written or recorded, every action is `skipped-dry-run`. */
  dryRun: boolean;
  log?: ActionLog;
  /** Resolves false when the incident turned out to be claimed already: nothing may change then. */
  admitted?: Promise<boolean>;
  /** Results of actions finished by earlier attempts: reused, never run again. */
  previous?: ReadonlyMap<string, ActionResult>;
  /**
   * Before-states the claim records for attempt 1 (`Executor.knownBefore`), by action id: that
   * attempt skips the read and the before-entry and changes as soon as the claim is written.
   */
  claimed?: ReadonlyMap<string, unknown>;
  /** Attempt number per action id (1 when absent). */
  attempts?: ReadonlyMap<string, number>;
  /** When this invocation gives up; recorded so a retry knows when it may take over. */
  deadline?: Date;
  retry?: RetryPolicy;
  now?: () => Date;
  onProgress?: (result: ActionResult) => void;
}

export interface ExecutionReport {
  incidentId: string;
  results: ActionResult[];
}

/** One step over an action: what to record as the before-state, and the change itself. */
export interface Step {
  read(executor: Executor, action: Action, ctx: ExecContext): Promise<unknown>;
  act(executor: Executor, action: Action, before: unknown, ctx: ExecContext): Promise<Applied>;
}

const applyStep: Step = {
  read: (executor, action, ctx) => executor.read(action, ctx),
  act: (executor, action, before, ctx) => executor.apply(action, before, ctx),
};

/**
 * Runs a plan: every action without dependencies starts at once (cutting the attacker off and
 * pinning evidence together); dependents start when what they need has finished. Each action is
 * read, recorded, changed and recorded again, retrying transient failures; every action ends with
 * an outcome and failures are reported, never thrown, so all the others still run.
 *
 * @example
 * // examples/usage/dry-run-plan.ts
 * const plan = { incidentId: decision.incidentId ?? 'preview', actions: decision.actions };
 * const report = await executePlan(plan, executors, { dryRun: true });
 */
export function executePlan(
  plan: Plan,
  executors: Partial<ExecutorRegistry>,
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  return runActions(plan, executors, applyStep, options);
}

export async function runActions(
  plan: Plan,
  executors: Partial<ExecutorRegistry>,
  step: Step,
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  const byId = new Map(plan.actions.map((a, i) => [a.id, { action: a, index: i }]));
  for (const [i, action] of plan.actions.entries()) {
    for (const dep of [...(action.dependsOn ?? []), ...(action.after ?? [])]) {
      if ((byId.get(dep)?.index ?? i) >= i)
        throw new Error(`action ${action.id} depends on ${dep}, not an earlier action`);
    }
  }
  const running = new Map<string, Promise<ActionResult>>();
  const run = (action: Action): Promise<ActionResult> => {
    let promise = running.get(action.id);
    if (!promise) {
      promise = runOne(action, plan.incidentId, executors, step, options, run, byId).then((result) => {
        options.onProgress?.(result);
        return result;
      });
      running.set(action.id, promise);
    }
    return promise;
  };
  const results = await Promise.all(plan.actions.map(run));
  return { incidentId: plan.incidentId, results };
}

async function runOne(
  action: Action,
  incidentId: string,
  executors: Partial<ExecutorRegistry>,
  step: Step,
  options: ExecuteOptions,
  run: (a: Action) => Promise<ActionResult>,
  byId: Map<string, { action: Action }>,
): Promise<ActionResult> {
  const base = { actionId: action.id, kind: action.kind, category: action.category, target: action.target };
  const previous = options.previous?.get(action.id);
  if (previous) return previous;
  if (options.dryRun) return { ...base, outcome: 'skipped-dry-run' };

  const [deps, settled] = await Promise.all(
    [action.dependsOn ?? [], action.after ?? []].map((ids) =>
      Promise.all(ids.map((id) => run(byId.get(id)?.action as Action))),
    ),
  );
  const failed = deps?.find((d) => d.outcome !== 'applied' && d.outcome !== 'already-applied');
  if (failed)
    return {
      ...base,
      outcome: 'skipped',
      skip: 'dependency-failed',
      error: `needs ${failed.actionId}, which ended ${failed.outcome}`,
    };

  const executor = executors[action.kind] as Executor | undefined;
  if (!executor) {
    const known = Object.keys(executors).sort().join(', ');
    return {
      ...base,
      outcome: 'failed',
      error: `no executor for action kind "${action.kind}" (known: ${known})`,
    };
  }
  const ctx: ExecContext = {
    incidentId,
    results: new Map([...(settled ?? []), ...(deps ?? [])].map((d) => [d.actionId, d])),
  };
  const now = options.now ?? (() => new Date());
  const retry = options.retry ?? DEFAULT_RETRY;
  const attempt = options.attempts?.get(action.id) ?? 1;
  let attempts = 0;
  try {
    // Only a run that holds the claim (admitted) may take the claim for its before-entry.
    const claimed = attempt === 1 && !!options.admitted && !!options.claimed?.has(action.id);
    const read = claimed
      ? { value: options.claimed?.get(action.id), attempts: 0 }
      : await withRetry(() => step.read(executor, action, ctx), retry);
    attempts += read.attempts;
    if (options.admitted && !(await options.admitted)) {
      return {
        ...base,
        outcome: 'skipped',
        skip: 'claimed-earlier',
        error: 'incident already claimed by an earlier delivery',
      };
    }
    // Past the deadline a retry may already have taken over: starting now could run twice.
    if (options.deadline && now() >= options.deadline) {
      return {
        ...base,
        outcome: 'failed',
        error: `not started: past this invocation's deadline; a retry takes over`,
        attempts,
      };
    }
    // The claim is this attempt's before-entry when it records the before-state (written: admitted).
    const begun = claimed
      ? true
      : await options.log?.begin({
          ...base,
          attempt,
          at: now().toISOString(),
          deadline: (options.deadline ?? new Date(now().getTime() + 15 * 60_000)).toISOString(),
          before: read.value,
          inverse: action.inverse,
        });
    if (begun === false)
      return { ...base, outcome: 'skipped', skip: 'held-elsewhere', error: HELD_ELSEWHERE };
    // A release requested meanwhile (between the claim and this before-entry, or before a retry
    // read the journal) may already have restored the incident: changing now would contain it again
    // behind the humans' back. The attempt ends unchanged. Release writes its request, then reads the
    // attempts, so the two cannot miss each other. Costs one journal read before the change; a
    // claimed attempt 1 needs none (release sees it running from the claim until it finishes).
    if (!claimed && (await options.log?.released?.())) {
      const error = 'not started: a release of this incident was requested';
      await options.log?.finish({
        actionId: action.id,
        attempt,
        at: now().toISOString(),
        outcome: 'skipped',
        error,
      });
      return { ...base, outcome: 'skipped', skip: 'released', error, attempts };
    }
    let result: ActionResult;
    try {
      const applied = await withRetry(() => step.act(executor, action, read.value, ctx), retry);
      attempts += applied.attempts;
      result = { ...base, outcome: applied.value.outcome, attempts, ...detailsOf(applied.value) };
    } catch (error) {
      attempts += (error as { attempts?: number }).attempts ?? 1;
      result = { ...base, outcome: 'failed', error: describeError(error), attempts };
    }
    await options.log?.finish({
      actionId: action.id,
      attempt,
      at: now().toISOString(),
      outcome: result.outcome,
      ...(result.details ? { details: result.details } : {}),
      ...(result.error ? { error: result.error } : {}),
    });
    return result;
  } catch (error) {
    attempts += (error as { attempts?: number }).attempts ?? 1;
    return { ...base, outcome: 'failed', error: describeError(error), attempts };
  }
}

function detailsOf(applied: Applied): { details?: Record<string, unknown> } {
  return applied.details ? { details: applied.details } : {};
}
