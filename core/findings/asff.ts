import { type FindingResourceKind, type SecurityFinding, severityBand } from './finding.ts';

/**
 * A finding in the AWS Security Finding Format, as `BatchImportFindings` takes it (Security Hub User
 * Guide, `securityhub-findings-format`; API Reference `AwsSecurityFinding`). Only the fields
 * Tourniquet writes; `schema/findings/asff-finding.schema.json` holds them to the documented
 * types and limits.
 */
export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region?: string;
  Types: string[];
  FirstObservedAt: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: string; Original: string };
  Title: string;
  Description: string;
  Remediation?: { Recommendation: { Text: string; Url?: string } };
  ProductFields: Record<string, string>;
  Resources: { Type: string; Id: string; Partition: 'aws'; Region?: string }[];
  Compliance?: { Status: 'PASSED' | 'FAILED' | 'NOT_AVAILABLE'; SecurityControlId: string };
  RecordState: 'ACTIVE' | 'ARCHIVED';
}

/** Where the finding is imported: the account and region of the Security Hub it goes to. */
export interface AsffTarget {
  /** The account whose Security Hub imports (the home account); findings of members name theirs. */
  importAccount: string;
  region: string;
}

/** ASFF resource types for the kinds Tourniquet reports (`Other` for the rest, and for Azure). */
const RESOURCE_TYPES: Partial<Record<FindingResourceKind, string>> = {
  account: 'AwsAccount',
  bucket: 'AwsS3Bucket',
  role: 'AwsIamRole',
  user: 'AwsIamUser',
  trail: 'AwsCloudTrailTrail',
  'network-interface': 'AwsEc2NetworkInterface',
  subnet: 'AwsEc2Subnet',
  vpc: 'AwsEc2Vpc',
  detector: 'AwsGuardDutyDetector',
  queue: 'AwsSqsQueue',
};

const COMPLIANCE = { pass: 'PASSED', fail: 'FAILED', unknown: 'NOT_AVAILABLE' } as const;
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Turns a finding into ASFF for a custom integration: the product is the account's `default`
 * product (`arn:aws:securityhub:<region>:<account>:product/<account>/default`), which is the one
 * `BatchImportFindings` accepts without a partner integration. Texts are cut to the ASFF limits
 * (Title 256, Description 1,024, Recommendation 512), resources to 32, fields to 50. A resolved
 * finding is imported ARCHIVED with compliance PASSED: Security Hub then resolves its workflow
 * itself (providers may not set `Workflow` on updates).
 *
 * @example
 * const asff = toAsff(finding, { importAccount: '111122223333', region: 'us-east-1' });
 * await securityHub.send(new BatchImportFindingsCommand({ Findings: [asff] }));
 */
export function toAsff(finding: SecurityFinding, target: AsffTarget): AsffFinding {
  const band = severityBand(finding.severity);
  const region = finding.region ?? target.region;
  const account = finding.cloud === 'aws' ? finding.account : target.importAccount;
  const productFields = Object.fromEntries(
    Object.entries({ 'tourniquet/cloud': finding.cloud, ...finding.properties })
      .slice(0, 50)
      .map(([k, v]) => [cut(k, 128), cut(v, 2048)]),
  );
  return {
    SchemaVersion: '2018-10-08',
    Id: cut(finding.id, 512),
    ProductArn: `arn:aws:securityhub:${target.region}:${target.importAccount}:product/${target.importAccount}/default`,
    ProductName: 'Tourniquet',
    CompanyName: 'Tourniquet',
    GeneratorId: cut(finding.generator, 512),
    AwsAccountId: account,
    Region: region,
    Types: finding.types.slice(0, 50),
    FirstObservedAt: finding.firstSeenAt,
    LastObservedAt: finding.lastSeenAt,
    CreatedAt: finding.createdAt,
    UpdatedAt: finding.updatedAt,
    Severity: { Label: band.label, Original: String(finding.severity) },
    Title: cut(finding.title, 256),
    Description: cut(finding.description, 1024),
    ...(finding.remediation
      ? {
          Remediation: {
            Recommendation: {
              Text: cut(finding.remediation.text, 512),
              ...(finding.remediation.url ? { Url: finding.remediation.url } : {}),
            },
          },
        }
      : {}),
    ProductFields: productFields,
    Resources: finding.resources.slice(0, 32).map((r) => ({
      Type: (finding.cloud === 'aws' && RESOURCE_TYPES[r.kind]) || 'Other',
      Id: cut(r.id, 512),
      Partition: 'aws' as const,
      ...((r.region ?? region) ? { Region: r.region ?? region } : {}),
    })),
    ...(finding.compliance
      ? {
          Compliance: {
            Status: COMPLIANCE[finding.compliance.status],
            SecurityControlId: cut(finding.compliance.control, 512),
          },
        }
      : {}),
    RecordState: finding.state === 'resolved' ? 'ARCHIVED' : 'ACTIVE',
  };
}
