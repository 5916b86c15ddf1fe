import type { IncidentJournal, IncidentState, JobEntry } from './journal.ts';
import { isSuccess } from './journal.ts';
import type { PackOutcome } from './respond.ts';

/**
 * A platform job an action handed its per-object work to (S3 Batch Operations), as the action's
 * after-entry records it in `details.job`. The action is applied when the job is accepted; the
 * incident's evidence is complete when every such job has reported its end (`JobEntry`).
 */
export interface StartedJob {
  id: string;
  engine: string;
  operation: string;
  /** Objects the job acts on (the manifest's lines). */
  objects: number;
  /** Where the engine writes its completion report. */
  reportPrefix: string;
}

/** Every job the incident's actions started, with its end when it has reported one. */
export function incidentJobs(state: IncidentState) {
  const jobs: { actionId: string; attempt: number; job: StartedJob; end?: JobEntry }[] = [];
  for (const [actionId, history] of state.phases.contain) {
    for (const a of history.attempts) {
      const job = a.after && isSuccess(a.after.outcome) ? startedJob(a.after.details) : undefined;
      if (job) jobs.push({ actionId, attempt: a.attempt, job, ...(a.job ? { end: a.job } : {}) });
    }
  }
  return jobs;
}

export function startedJob(details: Record<string, unknown> | undefined): StartedJob | undefined {
  const job = details?.job as Partial<StartedJob> | undefined;
  return job && typeof job.id === 'string' && typeof job.operation === 'string'
    ? (job as StartedJob)
    : undefined;
}

/** What the engine says about a job that ended. */
export type JobReport = Omit<JobEntry, 'actionId' | 'attempt' | 'prev'> & { incidentId: string };

export interface JobEndDeps {
  journal: IncidentJournal;
  publishPack?: (incidentId: string, phase: 'contain') => Promise<PackOutcome>;
}

export type JobEndResult =
  | { status: 'recorded' | 'duplicate'; incidentId: string; actionId: string; pending: string[] }
  | { status: 'unknown-job'; reason: string };

/**
 * Records that a job reported its end, in the journal of the incident whose action started it; the
 * last end reseals the containment (the pack is written again). Only a job the journal names is recorded:
 * a report about any other job (someone else's, or forged) changes nothing. A repeated report finds
 * its entry written and records nothing twice. `pending` names the jobs still running.
 */
export async function recordJobEnd(report: JobReport, deps: JobEndDeps): Promise<JobEndResult> {
  const { incidentId, ...end } = report;
  const state = await deps.journal.load(incidentId);
  if (!state) return { status: 'unknown-job', reason: `no journal for incident ${incidentId}` };
  const jobs = incidentJobs(state);
  const mine = jobs.find((j) => j.job.id === end.jobId);
  if (!mine) return { status: 'unknown-job', reason: `incident ${incidentId} started no job ${end.jobId}` };
  const pending = () => jobs.filter((j) => j !== mine && !j.end).map((j) => j.job.id);
  if (mine.end) return { status: 'duplicate', incidentId, actionId: mine.actionId, pending: pending() };
  const after = state.phases.contain.get(mine.actionId)?.attempts.find((a) => a.attempt === mine.attempt);
  const written = await deps.journal.job(incidentId, {
    ...end,
    actionId: mine.actionId,
    attempt: mine.attempt,
    ...(after?.afterSha256 ? { prev: after.afterSha256 } : {}),
  });
  if (!written.ok) return { status: 'duplicate', incidentId, actionId: mine.actionId, pending: pending() };
  // Sealed (and the pack written) once, when the last job has ended: a seal per job would read the
  // whole journal back once per job. Until then the ends are unsealed entries, which verify lists.
  const still = pending();
  if (!still.length) {
    await deps.journal.seal(incidentId, 'contain', end.at);
    await deps.publishPack?.(incidentId, 'contain');
  }
  return { status: 'recorded', incidentId, actionId: mine.actionId, pending: still };
}
