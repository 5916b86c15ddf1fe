import { createHash } from 'node:crypto';
import type { Alert, ResourceRef } from '../alert.ts';
import type { FindingResource } from '../findings/finding.ts';
import type { PostureReport, PostureRow } from './evaluate.ts';

const keyOf = (r: PostureRow) => `${r.cloud}|${r.check}|${r.subject.account}|${r.subject.id}`;

/** Rows that fail now and passed (or were unknown, or absent) in the previous report. */
export function newFailures(report: PostureReport, previous: PostureReport | undefined): PostureRow[] {
  const before = new Map((previous?.rows ?? []).map((r) => [keyOf(r), r.status]));
  return report.rows.filter((r) => r.status === 'fail' && before.get(keyOf(r)) !== 'fail');
}

/** Rows that failed before and pass now: their findings are resolved. */
export function resolvedFailures(report: PostureReport, previous: PostureReport | undefined): PostureRow[] {
  const now = new Map(report.rows.map((r) => [keyOf(r), r.status]));
  return (previous?.rows ?? []).filter((r) => r.status === 'fail' && now.get(keyOf(r)) === 'pass');
}

const RESOURCE_KINDS: Partial<Record<FindingResource['kind'], ResourceRef['kind']>> = {
  bucket: 'bucket',
  'storage-account': 'storage-account',
  container: 'container',
};

/**
 * A new failure as an alert for the decision (`source: 'posture'`, type `Posture:<check>`, the
 * check's severity). One incident per check, subject and day: the daily run and its retries land
 * on the same one, so humans are told once a day at most.
 */
export function regressionAlert(row: PostureRow, takenAt: string): Alert {
  const day = takenAt.slice(0, 10);
  const dedupeKey = `${row.cloud}:posture:${row.subject.account}:${row.check}:${row.subject.id}:${day}`;
  return {
    id: createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32),
    dedupeKey,
    cloud: row.cloud,
    source: 'posture',
    type: `Posture:${row.check}`,
    severity: row.severity,
    observedAt: takenAt,
    account: row.subject.account,
    ...(row.subject.region ? { region: row.subject.region } : {}),
    principal: null,
    resources: row.subject.resources.flatMap((r) => {
      const kind = RESOURCE_KINDS[r.kind];
      return kind ? [{ kind, id: r.id }] : [];
    }),
    sample: false,
    title: `${row.title}: ${row.detail}`,
    context: {
      check: row.check,
      subject: row.subject.name,
      detail: row.detail,
      ...(row.fix ? { fix: row.fix } : {}),
    },
  };
}
