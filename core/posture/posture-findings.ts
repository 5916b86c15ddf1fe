import type { SecurityFinding } from '../findings/finding.ts';
import type { PostureReport, PostureRow } from './evaluate.ts';
import { resolvedFailures } from './regressions.ts';

export const POSTURE_STANDARD = 'Tourniquet LLM leak readiness';

/** The finding of one row: its id is the same every day for the same check on the same subject. */
export function postureFinding(
  row: PostureRow,
  firstSeenAt: string,
  now: string,
  state: SecurityFinding['state'],
): SecurityFinding {
  return {
    id: `tourniquet/posture/${row.check}/${row.subject.account}/${row.subject.id}`,
    kind: 'posture',
    generator: `tourniquet/posture/${row.check}`,
    title: `${row.title} (${row.subject.name})`,
    description: `${row.detail}. Why it matters: ${row.why}.`,
    severity: row.severity,
    cloud: row.cloud,
    account: row.subject.account,
    ...(row.subject.region ? { region: row.subject.region } : {}),
    firstSeenAt,
    lastSeenAt: now,
    createdAt: firstSeenAt,
    updatedAt: now,
    resources: row.subject.resources.length ? row.subject.resources : [{ kind: 'other', id: row.subject.id }],
    types: ['Software and Configuration Checks/Industry and Regulatory Standards/Tourniquet readiness'],
    compliance: {
      status: state === 'resolved' ? 'pass' : 'fail',
      control: row.check,
      standard: POSTURE_STANDARD,
    },
    ...(row.fix ? { remediation: { text: row.fix } } : {}),
    state,
    properties: { 'tourniquet/subject': row.subject.name, 'tourniquet/subjectKind': row.subject.kind },
  };
}

/**
 * The findings of a run: every failed row (active; first seen when it started failing, if the
 * previous report already had it), and every row that failed before and passes now (resolved).
 */
export function postureFindings(
  report: PostureReport,
  previous: PostureReport | undefined,
  firstSeen: (row: PostureRow) => string | undefined,
): SecurityFinding[] {
  const now = report.takenAt;
  return [
    ...report.rows
      .filter((r) => r.status === 'fail')
      .map((r) => postureFinding(r, firstSeen(r) ?? now, now, 'active')),
    ...resolvedFailures(report, previous).map((r) => postureFinding(r, firstSeen(r) ?? now, now, 'resolved')),
  ];
}
