import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { type AsffTarget, toAsff } from '../core/findings/asff.ts';
import type { SecurityFinding } from '../core/findings/finding.ts';
import { type OcsfFinding, toOcsf } from '../core/findings/ocsf.ts';
import type { IncidentFindingSink } from '../core/findings/publish-incident.ts';

/** Import (create or update) the incident's finding; move its workflow on (NOTIFIED, RESOLVED). */
export const INCIDENT_FINDING_PERMISSIONS = [
  'securityhub:BatchImportFindings',
  'securityhub:BatchUpdateFindings',
] as const;

const WORKFLOW = { notified: 'NOTIFIED', resolved: 'RESOLVED' } as const;

/**
 * Security Hub as the sink of incident findings: `BatchImportFindings` (ASFF, the account's
 * default product) creates or updates the finding; a finding provider may not set `Workflow` on an
 * update, so `BatchUpdateFindings` moves it from NEW to NOTIFIED (humans told) and RESOLVED
 * (released), as a SOC tool would. The default product takes findings of the calling account only:
 * a member account's incident is imported under the home account, the member named in ProductFields.
 * Each publication is also logged as its OCSF Detection Finding (class 2004) for Security Lake.
 */
export function securityHubIncidentSink(options: {
  client: () => Promise<SecurityHubClient>;
  target: AsffTarget;
  productVersion: string;
  log?: (ocsf: OcsfFinding) => void;
  now?: () => Date;
}): IncidentFindingSink {
  return async (finding, first) => {
    const own: SecurityFinding =
      finding.cloud === 'aws' && finding.account !== options.target.importAccount
        ? {
            ...finding,
            account: options.target.importAccount,
            properties: { ...finding.properties, 'tourniquet/account': finding.account },
          }
        : finding;
    const asff = toAsff(own, options.target);
    const client = await options.client();
    const imported = await client.send(new BatchImportFindingsCommand({ Findings: [asff as never] }));
    const failed = imported.FailedFindings?.[0];
    if (failed || imported.SuccessCount !== 1)
      throw new Error(
        `Security Hub refused ${asff.Id}: ${failed?.ErrorCode ?? 'no success'} ${failed?.ErrorMessage ?? ''}`.trim(),
      );
    const status =
      finding.workflow === 'notified' || finding.workflow === 'resolved'
        ? WORKFLOW[finding.workflow]
        : undefined;
    if (status) {
      const updated = await client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [{ Id: asff.Id, ProductArn: asff.ProductArn }],
          Workflow: { Status: status },
          Note: { Text: `Tourniquet: ${finding.title}`.slice(0, 512), UpdatedBy: 'tourniquet' },
        }),
      );
      const unprocessed = updated.UnprocessedFindings?.[0];
      if (unprocessed)
        throw new Error(
          `Security Hub did not set ${asff.Id} to ${status}: ${unprocessed.ErrorCode ?? ''} ${unprocessed.ErrorMessage ?? ''}`.trim(),
        );
    }
    options.log?.(
      toOcsf(finding, {
        activity: finding.state === 'resolved' ? 'Close' : first ? 'Create' : 'Update',
        productVersion: options.productVersion,
        now: options.now?.() ?? new Date(),
      }),
    );
  };
}
