import type { Decision } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';
import { changeDecision, type PostureChange } from '../../core/posture/change.ts';
import type { IdentityRow } from '../../core/posture/identities.ts';
import type { PostureScope } from '../../core/posture/snapshot.ts';
import type { ResponseReport } from '../../core/respond.ts';
import { awsStandingAccessChange } from '../../packs/aws/posture/posture-changes.ts';
import { azureStandingAccessChange } from '../../packs/azure/posture/posture-changes.ts';
import { describeDecision, describeResult } from '../render.ts';

export interface FixOptions {
  scope: PostureScope;
  apply: boolean;
  approver: string;
  reason: string;
  now: Date;
  progress: (line: string) => void;
}

export interface FixResult {
  decisions: Decision[];
  skipped: string[];
  reports: ResponseReport[];
  summary: string;
}

/**
 * `posture --identities --fix [--apply]`: the plan that removes stale standing access, printed; with
 * `--apply`, carried out through the same journaled `respond` as any containment (dry-run unless
 * `"mode": "enforce"`), so `tourniquet release <id>` undoes it.
 */
export async function standingAccessFix(
  rows: readonly IdentityRow[],
  config: Config,
  options: FixOptions,
): Promise<FixResult> {
  const planned: { change?: PostureChange; skipped: string[] }[] = [];
  if (options.scope.aws)
    planned.push(awsStandingAccessChange(rows, config, options.scope.aws.account, options.now));
  if (options.scope.azure) planned.push(azureStandingAccessChange(rows, config, options.now));
  const skipped = planned.flatMap((p) => p.skipped);
  const changes = planned.flatMap((p) => (p.change ? [p.change] : []));
  const made = changes.map((c) => ({ change: c, ...changeDecision(c, config) }));
  const reports: ResponseReport[] = [];
  if (options.apply) {
    const [{ cliRuntime }, { respond }] = await Promise.all([
      import('../runtime.ts'),
      import('../../core/respond.ts'),
    ]);
    for (const { change, decision, alert } of made) {
      const runtime = await cliRuntime(change.cloud, config);
      const { report, failure } = await respond(
        {
          decision,
          alert,
          trigger: { kind: 'manual', approver: options.approver, reason: options.reason },
        },
        runtime.deps({ onProgress: (r) => options.progress(describeResult(r)) }),
      );
      reports.push(report);
      if (failure)
        options.progress(`${report.incidentId}: ${failure.message} (run the same command again to resume)`);
    }
  }
  const lines = [
    made.length ? 'Standing access fix:' : 'Standing access fix: nothing to remove.',
    ...made.map((m) => describeDecision(m.decision)),
    ...skipped.map((s) => `  skipped ${s}`),
    ...(options.apply
      ? reports.map(
          (r) =>
            `  ${r.incidentId}: ${r.status}${r.status === 'dry-run' ? ' (configuration mode is not "enforce": nothing changed)' : `; undo: tourniquet release --incident ${r.incidentId} --reason …`}`,
        )
      : made.length
        ? ['  (plan only: add --apply --reason TEXT to carry it out)']
        : []),
  ];
  return { decisions: made.map((m) => m.decision), skipped, reports, summary: lines.join('\n') };
}
