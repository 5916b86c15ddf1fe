import type { Action } from './actions.ts';
import { IncidentInProgressError, IncidentNotFoundError } from './errors.ts';
import { runActions, type Step } from './execute-plan.ts';
import type { ActionResult } from './executor.ts';
import type { FindingOutcome } from './findings/publish-incident.ts';
import { actionStatus, beforePrev, type IncidentState } from './journal.ts';
import { common, progress, sealed, settle } from './phase-run.ts';
import { assertTrustworthy } from './plan-guard.ts';
import type { PackOutcome, RespondDeps, Settled } from './respond.ts';

export interface ReleaseRequest {
  incidentId: string;
  approver: string;
  reason: string;
  /** Also lift evidence holds (legal holds, versioning turned on). Evidence copies are always kept. */
  includeEvidence?: boolean;
  /**
   * Say what release would restore, from the journal, and change nothing (no undo, no journal entry):
   * each action `skipped-dry-run` with the recorded before-state it would put back (`details.restores`).
   */
  dryRun?: boolean;
}

export interface ReleaseReport {
  incidentId: string;
  status: 'released' | 'already-released' | 'dry-run';
  results: ActionResult[];
  chainHead?: string;
  sealError?: string;
  pack?: PackOutcome;
  finding?: FindingOutcome;
}

/**
 * Undoes an incident's changes from its journal: every action that was *attempted* is reverted
 * from the before-state recorded at its first attempt (bucket policy and public access block
 * restored, deny policies removed, keys reactivated, role assignments recreated) — attempted, not
 * only reported applied, because a crash or a half-failed action can leave changes behind; the
 * undo executors compare with the current state, so reverting what did not happen changes nothing.
 * Refused (thrown) while containment is still running or when the journal is missing or fails its
 * checks. Idempotent; failures are values, as for `respond`. With `dryRun`, it reads the journal and
 * says what it would restore, changing nothing.
 */
export async function release(request: ReleaseRequest, deps: RespondDeps): Promise<Settled<ReleaseReport>> {
  const { incidentId } = request;
  const now = deps.now ?? (() => new Date());
  const state = await deps.journal.load(incidentId);
  if (!state)
    throw new IncidentNotFoundError(
      `no journal for incident ${incidentId}: check the id and the evidence store`,
    );
  if (deps.config) assertTrustworthy(state, incidentId, deps.config, deps.packs);

  let { befores, releasable, kept } = classify(state, request, now());
  const { previous } = progress(releasable, state.phases.release, now());
  if (previous.size === releasable.length && state.releaseRequests.length) {
    return { report: { incidentId, status: 'already-released', results: [...previous.values(), ...kept] } };
  }
  if (request.dryRun) {
    const results = releasable.map(
      (a): ActionResult =>
        previous.get(a.id) ?? {
          actionId: a.id,
          kind: a.kind,
          category: a.category,
          target: a.target,
          outcome: 'skipped-dry-run',
          details: { restores: befores.get(a.id) ?? null, inverse: a.inverse },
        },
    );
    return { report: { incidentId, status: 'dry-run', results: [...results, ...kept] } };
  }
  const lastSeal = state.seals.at(-1)?.sha256;
  const lastRequest = state.releaseRequests.at(-1)?.sha256;
  const requested = await deps.journal.requestRelease(incidentId, {
    approver: request.approver,
    reason: request.reason,
    at: now().toISOString(),
    prev: lastSeal ?? lastRequest ?? state.claimSha256,
  });
  // A retry that read the journal before this request may have started actions since: read it
  // again now that the request is written (each contain attempt checks for it after its before-entry).
  const current = await deps.journal.load(incidentId);
  if (!current) throw new IncidentNotFoundError(`the journal of incident ${incidentId} is gone`);
  if (deps.config) assertTrustworthy(current, incidentId, deps.config, deps.packs);
  ({ befores, releasable, kept } = classify(current, request, now()));
  const undo: Step = {
    read: async (_executor, action) => befores.get(action.id),
    act: (executor, action, before, ctx) => executor.undo(action, before, ctx),
  };
  const report = await runActions(
    { incidentId, actions: withoutDependencies(releasable) },
    deps.executors,
    undo,
    {
      ...common(deps, incidentId, 'release', (id, attempt) =>
        beforePrev(current.phases.release.get(id), attempt, requested.sha256),
      ),
      ...progressOf(releasable, current, now()),
    },
  );
  const done = { incidentId, status: 'released' as const, results: [...report.results, ...kept] };
  return settle(await sealed(done, deps, 'release'));
}

/** Undo steps are independent of each other: all run at once. */
function withoutDependencies(actions: readonly Action[]): Action[] {
  return actions.map(({ dependsOn: _unused, after: _after, ...rest }) => rest as Action);
}

/**
 * Sorts the plan's actions for release: the ones to undo (with the before-state of their first
 * attempt), the ones kept (never started; evidence and notifications). Throws while one is running.
 */
function classify(state: IncidentState, request: ReleaseRequest, at: Date) {
  const incidentId = state.record.incidentId;
  const now = () => at;
  const befores = new Map<string, unknown>();
  const releasable: Action[] = [];
  const kept: ActionResult[] = [];
  for (const action of state.record.decision.actions) {
    const s = actionStatus(action, state.phases.contain.get(action.id), now());
    const base = { actionId: action.id, kind: action.kind, category: action.category, target: action.target };
    if (s.status === 'running') {
      throw new IncidentInProgressError(
        `incident ${incidentId}: ${action.id} is still being contained; release it after`,
      );
    }
    const firstBefore = s.status === 'done' || s.status === 'retry' ? s.firstBefore : undefined;
    const attempted = s.status === 'done' || (s.status === 'retry' && firstBefore !== undefined);
    if (!attempted) {
      kept.push({
        ...base,
        outcome: 'skipped',
        skip: 'never-started',
        error: 'nothing to undo: the action never started',
      });
    } else if (
      action.category === 'escalate' ||
      (action.category === 'snapshot' && !request.includeEvidence)
    ) {
      kept.push({
        ...base,
        outcome: 'skipped',
        skip: 'kept',
        error: 'kept: evidence and notifications stay',
      });
    } else {
      releasable.push(action);
      befores.set(action.id, firstBefore);
    }
  }

  return { befores, releasable, kept };
}

/** What earlier release attempts finished (reused) and the next attempt numbers. */
function progressOf(releasable: readonly Action[], state: IncidentState, at: Date) {
  const { previous, attempts } = progress(releasable, state.phases.release, at);
  return { previous, attempts };
}
