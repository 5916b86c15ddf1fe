import type { Action } from './actions.ts';
import { ContainmentFailedError, describeError, IncidentInProgressError } from './errors.ts';
import type { ActionLog } from './execute-plan.ts';
import type { ActionResult } from './executor.ts';
import type { FindingOutcome } from './findings/publish-incident.ts';
import { actionStatus, type Phase } from './journal.ts';
import type { PackOutcome, RespondDeps, Settled } from './respond.ts';

/*
 * What every phase run shares (respond, resume, release): the journal side of the run, the
 * progress an earlier delivery made, the seal after it, and the failure as a value.
 */

/**
 * Seals the phase that just ran (the hash of every journal entry, chained to the last seal) and,
 * when the deployment publishes evidence packs, writes the pack. Neither may fail the response:
 * a failure is kept in the report for the logs, and the next delivery or release seals again.
 */
export async function sealed<R extends { incidentId: string }>(
  report: R,
  deps: RespondDeps,
  phase: Phase,
): Promise<R & { chainHead?: string; pack?: PackOutcome; finding?: FindingOutcome; sealError?: string }> {
  const at = (deps.now?.() ?? new Date()).toISOString();
  let chainHead: string | undefined;
  let sealError: string | undefined;
  try {
    chainHead = (await deps.journal.seal(report.incidentId, phase, at)).sha256;
  } catch (error) {
    sealError = describeError(error);
  }
  const pack = deps.publishPack ? await deps.publishPack(report.incidentId, phase) : undefined;
  const finding = deps.publishFinding ? await deps.publishFinding(report.incidentId, phase) : undefined;
  return {
    ...report,
    ...(chainHead ? { chainHead } : {}),
    ...(sealError ? { sealError } : {}),
    ...(pack ? { pack } : {}),
    ...(finding ? { finding } : {}),
  };
}

/** Finished results, next attempt numbers and still-running actions of one journal phase. */
export function progress(
  actions: readonly Action[],
  histories: ReadonlyMap<string, Parameters<typeof actionStatus>[1]>,
  now: Date,
) {
  const previous = new Map<string, ActionResult>();
  const attempts = new Map<string, number>();
  const running: string[] = [];
  for (const action of actions) {
    const s = actionStatus(action, histories.get(action.id), now);
    if (s.status === 'done') previous.set(action.id, s.result);
    else if (s.status === 'running') running.push(action.id);
    else if (s.status === 'retry') attempts.set(action.id, s.nextAttempt);
  }
  return { previous, attempts, running };
}

/**
 * The journal side of a phase run: each before-entry names what it follows (`prevOf`), each
 * after-entry the before-entry this invocation wrote for it.
 */
export function common(
  deps: RespondDeps,
  incidentId: string,
  phase: Phase,
  prevOf: (actionId: string, attempt: number) => string,
) {
  const befores = new Map<string, string>();
  const log: ActionLog = {
    async begin(entry) {
      const w = await deps.journal.begin(incidentId, phase, {
        ...entry,
        prev: prevOf(entry.actionId, entry.attempt),
      });
      if (w.ok) befores.set(`${entry.actionId}/${entry.attempt}`, w.sha256);
      return w.ok;
    },
    async finish(entry) {
      // A claimed before-state has no before-entry of its own: the after-entry follows the claim.
      const prev = befores.get(`${entry.actionId}/${entry.attempt}`) ?? prevOf(entry.actionId, entry.attempt);
      return (await deps.journal.finish(incidentId, phase, { ...entry, ...(prev ? { prev } : {}) })).ok;
    },
    ...(phase === 'contain' ? { released: () => deps.journal.releaseRequested(incidentId) } : {}),
  };
  return {
    dryRun: false,
    log,
    ...(deps.deadline ? { deadline: deps.deadline } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
  };
}

/**
 * What needs the platform to try again, as a value: failures (and what could not start because of
 * them) as ContainmentFailedError; actions another invocation holds as IncidentInProgressError.
 */
export function settle<R extends { incidentId: string; results: ActionResult[] }>(report: R): Settled<R> {
  const failures = report.results
    .filter((r) => r.outcome === 'failed' || r.skip === 'dependency-failed')
    .map((r) => ({ actionId: r.actionId, kind: r.kind, target: r.target, error: r.error ?? r.outcome }));
  if (failures.length) return { report, failure: new ContainmentFailedError(report.incidentId, failures) };
  const held = report.results.filter((r) => r.skip === 'held-elsewhere');
  if (held.length) {
    const which = held.map((r) => r.actionId).join(', ');
    return {
      report,
      failure: new IncidentInProgressError(`incident ${report.incidentId}: ${which} held elsewhere`),
    };
  }
  return { report };
}
