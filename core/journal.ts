import { randomUUID } from 'node:crypto';
import type { Action, Decision } from './actions.ts';
import type { Alert } from './alert.ts';
import type { ActionResult, Outcome } from './executor.ts';

/**
 * The storage port under the incident journal: objects that can be created once and never changed
 * (S3 `If-None-Match: *`, Azure blob `ifNoneMatch: '*'`). Object Lock / immutability on the store
 * makes the journal tamper-proof.
 */
export interface WriteOnceStore {
  /** Creates `key` if it does not exist; false when it already does (someone else wrote it). */
  create(key: string, body: string): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Every key under `prefix`, in any order. */
  list(prefix: string): Promise<string[]>;
}

export interface Trigger {
  kind: 'alert' | 'manual';
  approver?: string;
  reason?: string;
}

/** The claim: written once per incident, it holds the plan every later attempt and release follow. */
export interface IncidentRecord {
  incidentId: string;
  createdAt: string;
  trigger: Trigger;
  alert: Alert;
  decision: Decision & { decision: 'contain' };
}

export type Phase = 'contain' | 'release';

export interface BeforeEntry {
  actionId: string;
  kind: Action['kind'];
  target: string;
  attempt: number;
  at: string;
  /** The invocation holding this attempt gives up by then; after it, a retry may take over. */
  deadline: string;
  before: unknown;
  inverse: string;
}

export interface AfterEntry {
  actionId: string;
  attempt: number;
  at: string;
  outcome: Outcome;
  details?: Record<string, unknown>;
  error?: string;
}

export interface ActionHistory {
  attempts: { attempt: number; before?: BeforeEntry; after?: AfterEntry }[];
}

export interface IncidentState {
  record: IncidentRecord;
  phases: Record<Phase, Map<string, ActionHistory>>;
  releaseRequests: { approver: string; reason: string; at: string }[];
  /** Entries whose body does not match their key: a sign of tampering; nothing acts on such a journal. */
  anomalies: string[];
}

const pad = (n: number) => String(n).padStart(3, '0');

/**
 * The incident journal over a write-once store. Layout under `incidents/<id>/journal/`:
 * `incident.json` (the claim), `event.json` (the source event), `<phase>/<action>/<attempt>-before.json`
 * and `-after.json`, `release/request-<n>.json`.
 */
export function incidentJournal(store: WriteOnceStore) {
  const root = (id: string) => `incidents/${id}/journal/`;
  // A write whose response was lost is retried by the SDK and then finds its own object: that is
  // still ours. Each write carries its own id, so an identical entry from another invocation is not.
  const write = async (key: string, value: object) => {
    const body = `${JSON.stringify({ ...value, writeId: randomUUID() }, null, 2)}\n`;
    return (await store.create(key, body)) || (await store.get(key)) === body;
  };

  return {
    /** Claims the incident; false when it was claimed before (a duplicate delivery or update). */
    claim: (record: IncidentRecord) => write(`${root(record.incidentId)}incident.json`, record),
    /** Keeps the event as delivered, once. */
    recordEvent: (incidentId: string, event: unknown) =>
      store.create(`${root(incidentId)}event.json`, `${JSON.stringify(event, null, 2)}\n`),
    begin: (incidentId: string, phase: Phase, entry: BeforeEntry) =>
      write(`${root(incidentId)}${phase}/${entry.actionId}/${pad(entry.attempt)}-before.json`, entry),
    finish: (incidentId: string, phase: Phase, entry: AfterEntry) =>
      write(`${root(incidentId)}${phase}/${entry.actionId}/${pad(entry.attempt)}-after.json`, entry),
    async requestRelease(incidentId: string, request: { approver: string; reason: string; at: string }) {
      const existing = await store.list(`${root(incidentId)}release/request-`);
      for (let n = existing.length + 1; ; n++) {
        if (await write(`${root(incidentId)}release/request-${pad(n)}.json`, request)) return n;
      }
    },
    async load(incidentId: string): Promise<IncidentState | undefined> {
      const text = await store.get(`${root(incidentId)}incident.json`);
      if (text === undefined) return undefined;
      const keys = await store.list(root(incidentId));
      const phases: IncidentState['phases'] = { contain: new Map(), release: new Map() };
      const releaseRequests: IncidentState['releaseRequests'] = [];
      const anomalies: string[] = [];
      const bodies = await Promise.all(keys.map(async (k) => [k, await store.get(k)] as const));
      for (const [key, body] of bodies.sort(([a], [b]) => a.localeCompare(b))) {
        if (body === undefined) continue;
        const m = /(contain|release)\/([^/]+)\/(\d+)-(before|after)\.json$/.exec(
          key.slice(root(incidentId).length),
        );
        if (m) {
          const entry = JSON.parse(body) as { actionId?: unknown; attempt?: unknown };
          if (entry.actionId !== m[2] || entry.attempt !== Number(m[3]) || Number(m[3]) < 1) {
            anomalies.push(`${key} does not match its own key`);
            continue;
          }
          const history = phases[m[1] as Phase].get(m[2] ?? '') ?? { attempts: [] };
          phases[m[1] as Phase].set(m[2] ?? '', history);
          const attempt = Number(m[3]);
          let slot = history.attempts.find((a) => a.attempt === attempt);
          if (!slot) {
            slot = { attempt };
            history.attempts.push(slot);
          }
          slot[m[4] as 'before' | 'after'] = entry as never;
        } else if (/release\/request-\d+\.json$/.test(key)) {
          releaseRequests.push(JSON.parse(body));
        }
      }
      for (const phase of Object.values(phases)) {
        for (const h of phase.values()) h.attempts.sort((a, b) => a.attempt - b.attempt);
      }
      return { record: JSON.parse(text), phases, releaseRequests, anomalies };
    },
  };
}

export type IncidentJournal = ReturnType<typeof incidentJournal>;

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
