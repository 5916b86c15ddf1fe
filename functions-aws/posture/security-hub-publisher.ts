import { BatchImportFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { type AsffTarget, toAsff } from '../../core/findings/asff.ts';
import type { SecurityFinding } from '../../core/findings/finding.ts';

/** What the posture function may call on Security Hub: import into the account's default product. */
export const SECURITY_HUB_PERMISSIONS = ['securityhub:BatchImportFindings'] as const;

/** BatchImportFindings takes at most 100 findings per call (Security Hub API Reference). */
const BATCH = 100;

/**
 * Imports findings into Security Hub as ASFF, 100 per call. Findings Security Hub refuses are
 * returned with its error code, never thrown: one bad finding does not lose the others, and the
 * OCSF log line of each finding is written either way.
 */
export function securityHubPublisher(client: SecurityHubClient, target: AsffTarget) {
  return async (findings: SecurityFinding[]): Promise<{ published: number; failed: string[] }> => {
    let published = 0;
    const failed: string[] = [];
    for (let i = 0; i < findings.length; i += BATCH) {
      const batch = findings.slice(i, i + BATCH).map((f) => toAsff(f, target));
      try {
        const out = await client.send(new BatchImportFindingsCommand({ Findings: batch as never }));
        published += out.SuccessCount ?? 0;
        for (const f of out.FailedFindings ?? [])
          failed.push(`${f.Id}: ${f.ErrorCode} ${f.ErrorMessage ?? ''}`.trim());
      } catch (error) {
        for (const f of batch) failed.push(`${f.Id}: ${(error as Error).name} ${(error as Error).message}`);
      }
    }
    return { published, failed };
  };
}
