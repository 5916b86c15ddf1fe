import type { Decision } from '../actions.ts';
import type { Cloud } from '../alert.ts';
import type { Config } from '../config.ts';
import { describeError } from '../errors.ts';
import type { SecurityFinding } from '../findings/finding.ts';
import { toOcsf } from '../findings/ocsf.ts';
import { type HandleDeps, handleParsedEvent } from '../handle.ts';
import type { WriteOnceStore } from '../journal.ts';
import type { PostureCheck } from './check.ts';
import { evaluatePosture, type PostureReport } from './evaluate.ts';
import { firstSeenOf, postureHistory, rowKey } from './history.ts';
import { postureFindings } from './posture-findings.ts';
import { newFailures, regressionAlert } from './regressions.ts';
import type { PostureSnapshot } from './snapshot.ts';

export interface ScheduledPostureDeps {
  cloud: Cloud;
  config: Config;
  checks: readonly PostureCheck[];
  /** The live read of the cloud (read-only). */
  collect: () => Promise<PostureSnapshot>;
  /** The evidence store: each report is kept there, write-once. */
  store: WriteOnceStore;
  /** Sends the findings to the cloud's findings service (Security Hub, Event Grid). */
  publish: (findings: SecurityFinding[]) => Promise<{ published: number; failed: string[] }>;
  /** One structured line: the OCSF form of each finding goes there (CloudWatch Logs, Log Analytics). */
  log: (line: Record<string, unknown>) => void;
  /** The containment the alert function uses: new failures are decided and escalated through it. */
  contain: HandleDeps;
  productVersion: string;
}

export interface ScheduledPostureResult {
  report: PostureReport;
  findings: number;
  published: number;
  publishFailures: string[];
  decisions: Decision[];
  baseline: boolean;
}

/**
 * The daily posture function, the same on both clouds: read, judge, keep the report, publish the
 * failed checks as findings (and the resolved ones as resolved), log each in OCSF, and put every
 * check that passed yesterday and fails today through the decision as an alert — escalated to
 * humans by the posture playbook. The first run is the baseline: it reports but does not alert.
 */
export async function runScheduledPosture(deps: ScheduledPostureDeps): Promise<ScheduledPostureResult> {
  const snapshot = await deps.collect();
  const report = evaluatePosture(deps.checks, snapshot, deps.config);
  const history = postureHistory(deps.store, deps.cloud);
  const previous = await history.previous(report.takenAt);
  const firstSeen = firstSeenOf(previous);
  const findings = postureFindings(report, previous, firstSeen);
  await history.save({
    ...report,
    firstSeen: Object.fromEntries(
      report.rows.filter((r) => r.status === 'fail').map((r) => [rowKey(r), firstSeen(r) ?? report.takenAt]),
    ),
  } as PostureReport);
  const { published, failed } = findings.length ? await deps.publish(findings) : { published: 0, failed: [] };
  const now = new Date(report.takenAt);
  for (const f of findings) {
    const activity =
      f.state === 'resolved' ? 'Close' : f.firstSeenAt === report.takenAt ? 'Create' : 'Update';
    deps.log({
      msg: 'tourniquet.posture.finding',
      ocsf: toOcsf(f, { activity, productVersion: deps.productVersion, now }),
    });
  }
  const alerts = previous ? newFailures(report, previous).map((r) => regressionAlert(r, report.takenAt)) : [];
  let decisions: Decision[] = [];
  if (alerts.length) {
    const { outcomes, failure } = await handleParsedEvent({ kind: 'alerts', alerts }, deps.contain, {
      event: { posture: report.takenAt },
    });
    decisions = outcomes.map((o) => o.decision);
    if (failure) deps.log({ msg: 'tourniquet.posture.escalation-failed', error: describeError(failure) });
  }
  deps.log({
    msg: 'tourniquet.posture.run',
    summary: report.summary,
    findings: findings.length,
    published,
    alerts: alerts.length,
    baseline: !previous,
  });
  return {
    report,
    findings: findings.length,
    published,
    publishFailures: failed,
    decisions,
    baseline: !previous,
  };
}
