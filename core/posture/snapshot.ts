import type { Cloud } from '../alert.ts';
import { RejectedInputError, TourniquetError } from '../errors.ts';

/**
 * The raw API responses a posture run used, keyed by cloud, operation and resource (docs/posture.md):
 * `aws["s3:GetBucketVersioning"]["models-prod"] = { Status: "Enabled" }`. Responses are kept as the
 * service returned them (AWS SDK output shapes without `$metadata`; ARM and Graph JSON); an
 * operation that pages keeps every page, in order, as an array; a call the service answered with
 * an error keeps `{ "$error": { code, status, message } }`. Evaluating a snapshot needs no cloud.
 */
export interface PostureSnapshot {
  tourniquetPosture: typeof SNAPSHOT_VERSION;
  takenAt: string;
  /** What the run covered: evaluation reads its subjects from here, not from the machine it runs on. */
  scope: PostureScope;
  aws?: OperationAnswers;
  azure?: OperationAnswers;
}

export const SNAPSHOT_VERSION = 1;

export interface PostureScope {
  /** The account the reads were made in, the regions of region-scoped checks, the stack name. */
  aws?: { account: string; regions: string[]; stack: string };
  azure?: { tenant: string; subscriptions: string[] };
}

/** operation → resource key → stored answer. */
export type OperationAnswers = Record<string, Record<string, unknown>>;

/** A call the service answered with an error, stored in place of its response. */
export interface StoredError {
  $error: { code: string; status?: number; message: string };
}

/** One read a check needs: the operation, the key it is stored under, the request, the region. */
export interface Read {
  op: string;
  key: string;
  /** AWS: the SDK command input; Azure: the ARM or Graph path (with query) to GET. */
  input: unknown;
  region?: string;
}

export type Answer =
  | { kind: 'ok'; value: unknown }
  | { kind: 'error'; code: string; status?: number; message: string }
  | { kind: 'missing' };

/** The check could not be judged: a read is missing, denied or failed. Evaluation turns it into `unknown`. */
export class UnanswerableError extends TourniquetError {
  override name = 'UnanswerableError';
}

export function isStoredError(value: unknown): value is StoredError {
  return typeof value === 'object' && value !== null && '$error' in value;
}

/** Read access to one cloud's answers in a snapshot. */
export interface SnapshotView {
  answer(op: string, key: string): Answer;
  /** The response; throws UnanswerableError when it is missing or an error. */
  value<T = Record<string, unknown>>(op: string, key: string): T;
  /** The items of `field` across every page of a paged response (or of one response). */
  items<T = Record<string, unknown>>(op: string, key: string, field: string): T[];
  has(op: string, key: string): boolean;
}

export function snapshotView(snapshot: PostureSnapshot, cloud: Cloud): SnapshotView {
  const answers = snapshot[cloud] ?? {};
  const answer = (op: string, key: string): Answer => {
    const byKey = answers[op];
    if (!byKey || !Object.hasOwn(byKey, key)) return { kind: 'missing' };
    const stored = byKey[key];
    if (isStoredError(stored)) return { kind: 'error', ...stored.$error };
    return { kind: 'ok', value: stored };
  };
  const value = <T>(op: string, key: string): T => {
    const a = answer(op, key);
    if (a.kind === 'ok') return a.value as T;
    if (a.kind === 'missing') throw new UnanswerableError(`no answer to ${op} for ${key} in the snapshot`);
    throw new UnanswerableError(`${op} for ${key} failed: ${a.code}${a.message ? ` (${a.message})` : ''}`);
  };
  return {
    answer,
    value,
    has: (op, key) => answer(op, key).kind !== 'missing',
    items<T>(op: string, key: string, field: string): T[] {
      const v = value<unknown>(op, key);
      const pages = Array.isArray(v) ? v : [v];
      return pages.flatMap((page) => {
        const list = (page as Record<string, unknown> | null)?.[field];
        return Array.isArray(list) ? (list as T[]) : [];
      });
    },
  };
}

/** Validates a snapshot file's envelope (the answers inside are judged by the checks). */
export function parseSnapshot(input: unknown, where: string): PostureSnapshot {
  const fail = (why: string): never => {
    throw new RejectedInputError(`${where} is not a Tourniquet posture snapshot: ${why}`);
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('not a JSON object');
  const s = input as Record<string, unknown>;
  if (s.tourniquetPosture !== SNAPSHOT_VERSION)
    fail(`"tourniquetPosture" must be ${SNAPSHOT_VERSION} (written by tourniquet posture --save)`);
  if (typeof s.takenAt !== 'string' || Number.isNaN(Date.parse(s.takenAt)))
    fail('"takenAt" must be an ISO time');
  if (typeof s.scope !== 'object' || s.scope === null) fail('"scope" is missing');
  for (const key of Object.keys(s)) {
    if (!['tourniquetPosture', 'takenAt', 'scope', 'aws', 'azure'].includes(key))
      fail(`unknown key "${key}"`);
  }
  for (const cloud of ['aws', 'azure'] as const) {
    const answers = s[cloud];
    if (answers === undefined) continue;
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers))
      fail(`"${cloud}" must map operations to answers by resource`);
    for (const [op, byKey] of Object.entries(answers as object)) {
      if (typeof byKey !== 'object' || byKey === null || Array.isArray(byKey))
        fail(`"${cloud}.${op}" must map resource keys to answers`);
    }
  }
  return input as PostureSnapshot;
}

/** One snapshot of several runs (one per cloud): scopes and answers side by side. */
export function mergeSnapshots(snapshots: readonly PostureSnapshot[], takenAt: string): PostureSnapshot {
  const merged: PostureSnapshot = { tourniquetPosture: SNAPSHOT_VERSION, takenAt, scope: {} };
  for (const s of snapshots) {
    if (s.scope.aws) merged.scope.aws = s.scope.aws;
    if (s.scope.azure) merged.scope.azure = s.scope.azure;
    for (const cloud of ['aws', 'azure'] as const) {
      const answers = s[cloud];
      if (!answers) continue;
      const into: OperationAnswers = merged[cloud] ?? {};
      merged[cloud] = into;
      for (const [op, byKey] of Object.entries(answers)) into[op] = { ...(into[op] ?? {}), ...byKey };
    }
  }
  return merged;
}
