import type { PostureReport, PostureRow } from '../core/posture/evaluate.ts';
import type { IdentityRow } from '../core/posture/identities.ts';

const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

/** The posture table for a terminal: per cloud and subject, each check with why it matters and the fix. */
export function describePosture(report: PostureReport): string {
  const lines: string[] = [];
  for (const cloud of ['aws', 'azure'] as const) {
    const rows = report.rows.filter((r) => r.cloud === cloud);
    if (!rows.length) continue;
    const count = (s: PostureRow['status']) => rows.filter((r) => r.status === s).length;
    lines.push(
      `${cloud.toUpperCase()}: ${count('pass')} pass, ${count('fail')} fail, ${count('unknown')} unknown`,
    );
    const subjects = [...new Set(rows.map((r) => `${r.subject.kind} ${r.subject.name}`))];
    for (const subject of subjects) {
      lines.push(`  ${subject}`);
      for (const r of rows.filter((x) => `${x.subject.kind} ${x.subject.name}` === subject)) {
        lines.push(`    ${MARK[r.status]} ${r.check.padEnd(32)} ${r.detail}`);
        if (r.status !== 'pass') {
          lines.push(`        why: ${r.why}`);
          if (r.fix) lines.push(`        fix: ${r.fix}`);
        }
      }
    }
  }
  return lines.join('\n');
}

/** The standing-access table: who can reach each asset, last use, stale or not. */
export function describeIdentities(rows: readonly IdentityRow[]): string {
  if (!rows.length) return 'No principal has standing access to the assets.';
  const lines = ['Standing access to the assets:'];
  for (const asset of [...new Set(rows.map((r) => r.asset))]) {
    lines.push(`  ${asset}`);
    for (const r of rows.filter((x) => x.asset === asset)) {
      const mark =
        r.status === 'stale' ? '✗' : r.status === 'active' ? '✓' : r.status === 'guarded' ? '=' : '?';
      lines.push(
        `    ${mark} ${r.status.padEnd(8)} ${r.access.padEnd(10)} ${r.principal.type.padEnd(16)} ${r.principal.name}` +
          `${r.conditional ? ' (conditional)' : ''}: ${r.detail}; via ${r.via.join(', ') || '?'}`,
      );
    }
  }
  return lines.join('\n');
}
