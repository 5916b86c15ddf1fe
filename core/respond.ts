import type { Action, Decision } from './actions.ts';
import type { Alert } from './alert.ts';
import type { CloudPack } from './cloud-pack.ts';
import type { Config } from './config.ts';
import { type ContainmentFailedError, IncidentExistsError, IncidentInProgressError } from './errors.ts';
import { type ExecutionReport, executePlan } from './execute-plan.ts';
import type { ActionResult, Executor, ExecutorRegistry } from './executor.ts';
import type { FindingOutcome } from './findings/publish-incident.ts';
import { beforePrev, type IncidentJournal, type Phase, type Trigger } from './journal.ts';
import { common, progress, sealed, settle } from './phase-run.ts';
import { assertTrustworthy } from './plan-guard.ts';
import type { RetryPolicy } from './retry.ts';

export interface RespondDeps {
  executors: Partial<ExecutorRegistry>;
  journal: IncidentJournal;
  /** The clouds this deployment knows: decisions plan with them, the plan guard checks with them. */
  packs: readonly CloudPack[];
  /** When given, plans read back from the journal are checked against it before anything acts. */
  config?: Config;
  now?: () => Date;
  /** When this invocation must be done (Lambda/Functions timeout); recorded in each before-entry. */
  deadline?: Date;
  retry?: RetryPolicy;
  onProgress?: (result: ActionResult) => void;
  /**
   * Writes the incident's evidence pack to the evidence store after each phase (the deployed
   * functions); returns where it went, or why it could not be written. Never throws.
   */
  publishPack?: (incidentId: string, phase: Phase) => Promise<PackOutcome>;
  /**
   * Publishes the incident's finding (ASFF to Security Hub, OCSF to an Event Grid topic) after each
   * phase (core/findings/publish-incident.ts); returns what it did. Never throws.
   */
  publishFinding?: (incidentId: string, phase: Phase) => Promise<FindingOutcome>;
}

/** Where an evidence pack was written (store keys), or why not. */
export type PackOutcome = { written: string[]; location: string } | { error: string };

export interface RespondInput {
  decision: Decision;
  alert: Alert;
  trigger: Trigger;
  /** The event as delivered, kept in the journal as evidence. */
  event?: unknown;
  /** When the delivery arrived (awareness, for the regulatory clocks); defaults to the claim time. */
  receivedAt?: Date;
}

export interface ResponseReport extends ExecutionReport {
  /**
   * `duplicate`: an earlier delivery already did everything; `resumed`: this one finished its work;
   * `released`: humans released the incident, so nothing is done again (`releasedAt` says when).
   */
  status: 'dry-run' | 'contained' | 'duplicate' | 'resumed' | 'released';
  releasedAt?: string;
  /** Hash of the seal written when this run finished (the pack prints it). */
  chainHead?: string;
  sealError?: string;
  pack?: PackOutcome;
  /** Whether the incident's finding was published after this run (when the deployment publishes). */
  finding?: FindingOutcome;
}

/**
 * Why the platform must deliver the event (or the command) again: actions failed, or could not
 * start because of a failure (`ContainmentFailedError`), or another invocation holds some of them
 * (`IncidentInProgressError`, so the retry finds them finished — or abandoned, and takes them over).
 */
export type RunFailure = ContainmentFailedError | IncidentInProgressError;

/** What a run did (`report`, every action's result) and, when it needs another try, why. */
export interface Settled<R> {
  report: R;
  failure?: RunFailure;
}

/**
 * Carries out a `contain` decision exactly once per incident. The claim (a write-once journal
 * record) is taken while the first before-states are read, so the attacker is cut off in three
 * rounds of calls, or in two where the before-state is known by construction and the claim
 * records it (`Executor.knownBefore`: the change waits only for the claim). A repeat delivery finds the claim and follows the *recorded* plan: finished
 * actions are not repeated, failed or abandoned ones are retried. Failures are values: every
 * action's result is in `report`, and `failure` says why the event must come back. It throws only
 * when it cannot start (a journal it cannot read or trust, an incident still running elsewhere).
 *
 * @example
 * // examples/usage/contain-one-alert.ts
 * const { report, failure } = await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
 * if (failure) throw failure; // the platform retries; the journal keeps the retry from repeating work
 */
export async function respond(input: RespondInput, deps: RespondDeps): Promise<Settled<ResponseReport>> {
  const { decision } = input;
  if (decision.decision !== 'contain' || !decision.incidentId) {
    throw new Error(`respond() needs a contain decision with an incident id, got ${decision.decision}`);
  }
  const incidentId = decision.incidentId;
  const now = deps.now ?? (() => new Date());
  if (decision.mode !== 'enforce') {
    const report = await executePlan({ incidentId, actions: decision.actions }, deps.executors, {
      dryRun: true,
    });
    return { report: { ...report, status: 'dry-run' } };
  }

  // A by-hand id that is taken is refused before anything is read (and again if the claim is lost).
  const manual = input.trigger.kind === 'manual';
  if (manual) await refuseTakenId(incidentId, decision.actions, deps);
  const createdAt = now();
  const claimed = claimedBefores(decision.actions, deps.executors);
  const deadline = (deps.deadline ?? new Date(createdAt.getTime() + 15 * 60_000)).toISOString();
  const claim = deps.journal.claim({
    incidentId,
    ...(input.receivedAt ? { receivedAt: input.receivedAt.toISOString() } : {}),
    createdAt: createdAt.toISOString(),
    trigger: input.trigger,
    alert: input.alert,
    decision: { ...decision, decision: 'contain' },
    ...(claimed.size
      ? { befores: Object.fromEntries([...claimed].map(([id, before]) => [id, { before, deadline }])) }
      : {}),
  });
  const admitted = claim.created;
  // Awaited below; until then a failed claim write must not become an unhandled rejection.
  admitted.catch(() => {});
  const first = await executePlan({ incidentId, actions: decision.actions }, deps.executors, {
    ...common(deps, incidentId, 'contain', () => claim.sha256),
    admitted,
    claimed,
  });
  if (await admitted) {
    if (input.event !== undefined) await deps.journal.recordEvent(incidentId, input.event);
    return settle(await sealed({ ...first, status: 'contained' as const }, deps, 'contain'));
  }
  if (manual) await refuseTakenId(incidentId, decision.actions, deps);
  return resume(incidentId, deps);
}

/**
 * A by-hand request whose id is already taken runs only when it is the same request again (a retry:
 * the same kinds of action on the same targets) of an incident not released. Otherwise it would do
 * nothing, or the recorded plan of another target, while the answer showed the new plan.
 */
async function refuseTakenId(incidentId: string, actions: readonly Action[], deps: RespondDeps) {
  const state = await deps.journal.load(incidentId);
  if (!state) return;
  const released = state.releaseRequests.map((r) => r.at).sort();
  if (released.length) {
    throw new IncidentExistsError(
      `incident ${incidentId} was released at ${released[released.length - 1]}: choose a new id`,
    );
  }
  const shape = (list: readonly Action[]) =>
    list
      .map((a) => `${a.kind} ${a.target}`)
      .sort()
      .join('\n');
  if (shape(state.record.decision.actions) !== shape(actions)) {
    throw new IncidentExistsError(
      `incident ${incidentId} exists with another plan (${state.record.decision.actions.length} actions, created ${state.record.createdAt}): choose a new id`,
    );
  }
}

/**
 * The before-states known by construction (`Executor.knownBefore`), which the claim records so that
 * those changes follow the claim in the next round, with no read and no before-entry of their own.
 */
function claimedBefores(actions: readonly Action[], executors: Partial<ExecutorRegistry>) {
  const claimed = new Map<string, unknown>();
  for (const action of actions) {
    const executor = executors[action.kind] as Executor | undefined;
    if (executor?.knownBefore) claimed.set(action.id, executor.knownBefore(action));
  }
  return claimed;
}

/**
 * Continues an incident from its journal: only what has not finished runs, with the recorded plan.
 * A released incident is never resumed: a late retry must not undo a human's release.
 */
export async function resume(incidentId: string, deps: RespondDeps): Promise<Settled<ResponseReport>> {
  const state = await deps.journal.load(incidentId);
  if (!state) throw new Error(`incident ${incidentId} was claimed but its record cannot be read`);
  if (deps.config) assertTrustworthy(state, incidentId, deps.config, deps.packs);
  const released = state.releaseRequests.map((r) => r.at).sort();
  if (released.length) {
    const releasedAt = released[released.length - 1] ?? '';
    return { report: { incidentId, results: [], status: 'released', releasedAt } };
  }
  const actions = state.record.decision.actions;
  const { previous, attempts, running } = progress(actions, state.phases.contain, deps.now?.() ?? new Date());
  if (running.length) {
    throw new IncidentInProgressError(
      `incident ${incidentId}: ${running.join(', ')} still running elsewhere`,
    );
  }
  if (previous.size === actions.length) {
    const results = actions.map((a) => previous.get(a.id) as ActionResult);
    return { report: { incidentId, results, status: 'duplicate' } };
  }
  const report = await executePlan({ incidentId, actions }, deps.executors, {
    ...common(deps, incidentId, 'contain', (id, attempt) =>
      beforePrev(state.phases.contain.get(id), attempt, state.claimSha256),
    ),
    previous,
    attempts,
  });
  return settle(await sealed({ ...report, status: 'resumed' as const }, deps, 'contain'));
}
