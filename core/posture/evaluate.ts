import type { Cloud } from '../alert.ts';
import type { Config } from '../config.ts';
import type { CheckResult, PostureCheck, PostureContext, Status, Subject } from './check.ts';
import { type PostureSnapshot, snapshotView, UnanswerableError } from './snapshot.ts';

/** One line of the posture table. */
export interface PostureRow {
  check: string;
  cloud: Cloud;
  title: string;
  why: string;
  severity: number;
  subject: Subject;
  status: Status;
  detail: string;
  fix?: string;
}

export interface PostureReport {
  takenAt: string;
  rows: PostureRow[];
  summary: Record<Status, number>;
}

/**
 * Judges a snapshot: every check of every cloud the snapshot covers, on every subject it finds.
 * Pure and offline; the same for a live run and a saved snapshot. A read that is missing, denied
 * or failed makes the row `unknown` with the reason, never `pass`.
 *
 * @example
 * const report = evaluatePosture([...awsPostureChecks, ...azurePostureChecks], snapshot, config);
 * report.rows.filter((r) => r.status === 'fail');
 */
export function evaluatePosture(
  checks: readonly PostureCheck[],
  snapshot: PostureSnapshot,
  config: Config,
): PostureReport {
  const rows: PostureRow[] = [];
  for (const cloud of ['aws', 'azure'] as const) {
    if (!snapshot.scope[cloud]) continue;
    const ctx: PostureContext = { config, scope: snapshot.scope, view: snapshotView(snapshot, cloud) };
    for (const check of checks.filter((c) => c.cloud === cloud)) {
      for (const subject of subjectsOf(check, ctx)) {
        rows.push({
          check: check.id,
          cloud,
          title: check.title,
          why: check.why,
          severity: check.severity,
          subject,
          ...judge(check, subject, ctx),
        });
      }
    }
  }
  const summary: Record<Status, number> = { pass: 0, fail: 0, unknown: 0 };
  for (const row of rows) summary[row.status]++;
  return { takenAt: snapshot.takenAt, rows, summary };
}

function subjectsOf(check: PostureCheck, ctx: PostureContext): Subject[] {
  try {
    return check.subjects(ctx);
  } catch (error) {
    // Subjects that must be discovered (accounts, trails) and could not be: one unknown row says so.
    if (!(error instanceof UnanswerableError)) throw error;
    return [{ kind: 'deployment', id: '*', name: `(${error.message})`, account: '', resources: [] }];
  }
}

function judge(check: PostureCheck, subject: Subject, ctx: PostureContext): CheckResult {
  if (subject.id === '*') return { status: 'unknown', detail: 'could not find what to check' };
  try {
    return check.evaluate(subject, ctx);
  } catch (error) {
    if (error instanceof UnanswerableError) return { status: 'unknown', detail: error.message };
    throw error;
  }
}
