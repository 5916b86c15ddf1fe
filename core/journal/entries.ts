import { createHash } from 'node:crypto';
import type { Action, Decision } from '../actions.ts';
import type { Alert } from '../alert.ts';
import type { Outcome } from '../executor.ts';

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
