import { createHash, randomUUID } from 'node:crypto';
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
  /** When the alert reached Tourniquet (awareness); claims from before it only have `createdAt`. */
  receivedAt?: string;
  /** Set on claims written with the hash chain; journals from before it have none ("no chain"). */
  chain?: typeof CHAIN_VERSION;
  createdAt: string;
  trigger: Trigger;
  alert: Alert;
  decision: Decision & { decision: 'contain' };
  /**
   * Before-states known by construction (`Executor.knownBefore`), by action id: the claim is the
   * before-entry of attempt 1 of these actions, which writes none of its own (one round less to
   * cut-off). `deadline` is that attempt's, as a before-entry would have it.
   */
  befores?: Record<string, ClaimedBefore>;
}

/** A before-state the claim records for attempt 1 of an action. */
export interface ClaimedBefore {
  before: unknown;
  deadline: string;
}

export type Phase = 'contain' | 'release';

export const CHAIN_VERSION = 'sha256/1';

export interface ReleaseRequestEntry extends Chained {
  approver: string;
  reason: string;
  at: string;
}

/** Written when a phase finishes: the hash of every journal entry at that time, chained to the last seal. */
export interface SealEntry extends Chained {
  seal: number;
  phase: Phase;
  at: string;
  /** Every entry under the journal root except seals, by key relative to it, sorted. */
  entries: { key: string; sha256: string }[];
}

/** One stored journal object as read back: its key (relative to the journal root), text and hash. */
export interface StoredEntry {
  key: string;
  text: string;
  sha256: string;
}

/** The SHA-256 (hex) of an entry's exact stored text: what the next entry's `prev` names. */
export function entryHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A write: whether it is ours (created, or found as we wrote it) and the hash of its text. */
export interface Written {
  ok: boolean;
  sha256: string;
}

/**
 * Every entry written since the hash chain was introduced names what it follows: the SHA-256 (hex)
 * of the exact stored text of that entry (see core/journal-chain.ts for what verify checks).
 */
export interface Chained {
  prev?: string;
}

export interface BeforeEntry extends Chained {
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

export interface AfterEntry extends Chained {
  actionId: string;
  attempt: number;
  at: string;
  outcome: Outcome;
  details?: Record<string, unknown>;
  error?: string;
}

/**
 * The end of a platform job an action started (an S3 Batch Operations job; details.job of its
 * after-entry), written once when the job reports it, chained to that after-entry.
 */
export interface JobEntry extends Chained {
  actionId: string;
  /** The attempt whose after-entry recorded the job. */
  attempt: number;
  at: string;
  jobId: string;
  status: 'complete' | 'failed' | 'cancelled';
  tasks: { total: number; succeeded: number; failed: number };
  /** The engine's completion report in the evidence store (evidence too). */
  report?: { location: string; etag?: string };
  reason?: string;
}

export interface ActionHistory {
  attempts: {
    attempt: number;
    before?: BeforeEntry;
    after?: AfterEntry;
    job?: JobEntry;
    beforeSha256?: string;
    afterSha256?: string;
    jobSha256?: string;
  }[];
}

export interface IncidentState {
  record: IncidentRecord;
  phases: Record<Phase, Map<string, ActionHistory>>;
  releaseRequests: (ReleaseRequestEntry & { sha256: string; n: number })[];
  seals: (SealEntry & { sha256: string })[];
  /** Entries whose body does not match their key: a sign of tampering; nothing acts on such a journal. */
  anomalies: string[];
  /** Every object under the journal root, as stored: what verify recomputes the chain from. */
  entries: StoredEntry[];
  /** Hash of the claim as stored. */
  claimSha256: string;
}

const pad = (n: number) => String(n).padStart(3, '0');

/** Where an incident's journal lives in the store: everything under it is chained and sealed. */
export const journalRoot = (incidentId: string) => `incidents/${incidentId}/journal/`;

const ENTRY_KEY = /^(contain|release)\/([^/]+)\/(\d+)-(before|after|job)\.json$/;
const REQUEST_KEY = /^release\/request-(\d+)\.json$/;
const SEAL_KEY = /^seals\/(\d+)\.json$/;

/**
 * The incident journal over a write-once store. Layout under `incidents/<id>/journal/`:
 * `incident.json` (the claim), `event.json` (the source event), `<phase>/<action>/<attempt>-before.json`
 * and `-after.json`, `release/request-<n>.json`, `seals/<n>.json`. Every entry but the event (kept
 * byte for byte as delivered) names the SHA-256 of the entry it follows in `prev`; each seal lists
 * the hash of every entry there was when a phase finished (core/journal-chain.ts verifies).
 */
export function incidentJournal(store: WriteOnceStore) {
  const root = journalRoot;
  const body = (value: object) => `${JSON.stringify({ ...value, writeId: randomUUID() }, null, 2)}\n`;
  // A write whose response was lost is retried by the SDK and then finds its own object: that is
  // still ours. Each write carries its own id, so an identical entry from another invocation is not.
  const put = async (key: string, text: string) =>
    (await store.create(key, text)) || (await store.get(key)) === text;
  const write = async (key: string, value: object): Promise<Written> => {
    const text = body(value);
    return { ok: await put(key, text), sha256: entryHash(text) };
  };

  return {
    /**
     * Claims the incident. The claim's hash is known at once (before-entries name it while the
     * write is still in flight, so the chain costs no round of calls); `created` is false when it
     * was claimed before (a duplicate delivery or update).
     */
    claim(record: Omit<IncidentRecord, 'chain'>): { sha256: string; created: Promise<boolean> } {
      const text = body({ ...record, chain: CHAIN_VERSION });
      return { sha256: entryHash(text), created: put(`${root(record.incidentId)}incident.json`, text) };
    },
    /**
     * Claims one target (an actor or resource id) of a growing finding for an incident, write-once
     * under the series' own journal root; returns the incident that holds it (ours when we won, or
     * when we had claimed it before).
     */
    async claimSeriesTarget(seriesId: string, target: string, incidentId: string): Promise<string> {
      const key = `${root(seriesId)}series/${entryHash(target).slice(0, 40)}.json`;
      const text = `${JSON.stringify({ target, incidentId }, null, 2)}\n`;
      if (await store.create(key, text)) return incidentId;
      const held = parseEntry((await store.get(key)) ?? '') as { incidentId?: unknown } | undefined;
      if (typeof held?.incidentId !== 'string')
        throw new Error(`the series claim ${key} cannot be read: the journal was altered`);
      return held.incidentId;
    },
    /** Keeps the event as delivered, once (the seals cover it). */
    recordEvent: (incidentId: string, event: unknown) =>
      store.create(`${root(incidentId)}event.json`, `${JSON.stringify(event, null, 2)}\n`),
    begin: (incidentId: string, phase: Phase, entry: BeforeEntry) =>
      write(`${root(incidentId)}${phase}/${entry.actionId}/${pad(entry.attempt)}-before.json`, entry),
    finish: (incidentId: string, phase: Phase, entry: AfterEntry) =>
      write(`${root(incidentId)}${phase}/${entry.actionId}/${pad(entry.attempt)}-after.json`, entry),
    /** Records the end of a job an action started, once (a repeated report finds it written). */
    job: (incidentId: string, entry: JobEntry) =>
      write(`${root(incidentId)}contain/${entry.actionId}/${pad(entry.attempt)}-job.json`, entry),
    /**
     * Whether a release was requested: a contain attempt asks after writing its before-entry, so a
     * release (which writes its request, then reads the attempts) and a retry cannot miss each other.
     */
    releaseRequested: async (incidentId: string): Promise<boolean> =>
      (await store.get(`${root(incidentId)}release/request-${pad(1)}.json`)) !== undefined,
    async requestRelease(incidentId: string, request: ReleaseRequestEntry): Promise<Written & { n: number }> {
      const existing = await store.list(`${root(incidentId)}release/request-`);
      for (let n = existing.length + 1; ; n++) {
        const w = await write(`${root(incidentId)}release/request-${pad(n)}.json`, request);
        if (w.ok) return { ...w, n };
      }
    },
    /**
     * Seals a phase: reads the journal back and writes the next `seals/<n>.json` listing the hash
     * of every entry, chained to the previous seal (or the claim). Runs after the phase, never on
     * the way to cutting the attacker off. Returns the new seal's hash: the chain head.
     */
    async seal(incidentId: string, phase: Phase, at: string): Promise<Written & { n: number }> {
      for (;;) {
        const state = await this.load(incidentId);
        if (!state) throw new Error(`incident ${incidentId} has no claim to seal`);
        const last = state.seals[state.seals.length - 1];
        const n = (last?.seal ?? 0) + 1;
        const entries = state.entries
          .filter((e) => !SEAL_KEY.test(e.key))
          .map((e) => ({ key: e.key, sha256: e.sha256 }));
        const seal: SealEntry = { seal: n, phase, at, prev: last?.sha256 ?? state.claimSha256, entries };
        const w = await write(`${root(incidentId)}seals/${pad(n)}.json`, seal);
        if (w.ok) return { ...w, n };
      }
    },
    /** Every object under the incident's journal root as stored, sorted by key: what verify reads. */
    async entries(incidentId: string): Promise<StoredEntry[]> {
      const keys = await store.list(root(incidentId));
      const bodies = await Promise.all(keys.map(async (k) => [k, await store.get(k)] as const));
      return bodies
        .filter((b): b is readonly [string, string] => b[1] !== undefined)
        .map(([k, text]) => ({ key: k.slice(root(incidentId).length), text, sha256: entryHash(text) }))
        .sort((a, b) => a.key.localeCompare(b.key));
    },
    async load(incidentId: string): Promise<IncidentState | undefined> {
      const claimText = await store.get(`${root(incidentId)}incident.json`);
      if (claimText === undefined) return undefined;
      const phases: IncidentState['phases'] = { contain: new Map(), release: new Map() };
      const releaseRequests: IncidentState['releaseRequests'] = [];
      const seals: IncidentState['seals'] = [];
      const anomalies: string[] = [];
      const entries = await this.entries(incidentId);
      for (const { key: rel, text, sha256 } of entries) {
        const key = root(incidentId) + rel;
        const m = ENTRY_KEY.exec(rel);
        const value = m || REQUEST_KEY.test(rel) || SEAL_KEY.test(rel) ? parseEntry(text) : undefined;
        if (m) {
          const entry = value as { actionId?: unknown; attempt?: unknown } | undefined;
          if (!entry) {
            anomalies.push(`${key} is not valid JSON`);
            continue;
          }
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
          const side = m[4] as 'before' | 'after' | 'job';
          slot[side] = entry as never;
          slot[`${side}Sha256`] = sha256;
        } else if (REQUEST_KEY.test(rel)) {
          const n = Number(REQUEST_KEY.exec(rel)?.[1]);
          if (value) releaseRequests.push({ ...(value as ReleaseRequestEntry), sha256, n });
          else anomalies.push(`${key} is not valid JSON`);
        } else if (SEAL_KEY.test(rel)) {
          if (value) seals.push({ ...(value as SealEntry), sha256 });
          else anomalies.push(`${key} is not valid JSON`);
        }
      }
      for (const phase of Object.values(phases)) {
        for (const h of phase.values()) h.attempts.sort((a, b) => a.attempt - b.attempt);
      }
      seals.sort((a, b) => a.seal - b.seal);
      const record = parseEntry(claimText) as IncidentRecord | undefined;
      if (!record)
        throw new Error(`the claim of incident ${incidentId} is not valid JSON: the journal was altered`);
      const claimSha256 = entryHash(claimText);
      withClaimedBefores(record, phases.contain, claimSha256, anomalies);
      return {
        record,
        phases,
        releaseRequests,
        seals,
        anomalies,
        entries,
        claimSha256,
      };
    },
  };
}

/**
 * The claim's before-states as attempt 1's before-entries (hash: the claim's), so status, release
 * and the pack read them like any other. A before-entry file for such an attempt is an anomaly:
 * nothing writes one.
 */
function withClaimedBefores(
  record: IncidentRecord,
  contain: Map<string, ActionHistory>,
  claimSha256: string,
  anomalies: string[],
): void {
  for (const [actionId, claimed] of Object.entries(record.befores ?? {})) {
    const action = record.decision.actions.find((a) => a.id === actionId);
    if (!action) {
      anomalies.push(`incident.json records a before-state for ${actionId}, which is not in its plan`);
      continue;
    }
    const history = contain.get(actionId) ?? { attempts: [] };
    contain.set(actionId, history);
    let slot = history.attempts.find((a) => a.attempt === 1);
    if (!slot) {
      slot = { attempt: 1 };
      history.attempts.unshift(slot);
    }
    if (slot.before) {
      anomalies.push(`contain/${actionId}/001-before.json exists although the claim is its before-entry`);
      continue;
    }
    slot.before = {
      actionId,
      kind: action.kind,
      target: action.target,
      attempt: 1,
      at: record.createdAt,
      deadline: claimed.deadline,
      before: claimed.before,
      inverse: action.inverse,
    };
    slot.beforeSha256 = claimSha256;
  }
}

function parseEntry(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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

/**
 * What a before-entry follows: the last entry of the action's previous attempt when there was one,
 * else `start` (the claim for containment, the release request for release).
 */
export function beforePrev(history: ActionHistory | undefined, attempt: number, start: string): string {
  const previous = history?.attempts.filter((a) => a.attempt < attempt).at(-1);
  return previous?.afterSha256 ?? previous?.beforeSha256 ?? start;
}
