import type { Cloud } from '../alert.ts';

/**
 * What Tourniquet reports to a findings service, cloud-neutrally: a failed posture check today,
 * an incident later (issue 11). The emitters turn it into AWS Security Finding Format
 * (`asff.ts`, for Security Hub `BatchImportFindings`) and OCSF 1.1 (`ocsf.ts`, for Security Lake,
 * Security Hub v2, Sentinel and Log Analytics). Both are checked against the JSON Schemas in
 * `schema/findings/`.
 *
 * @example
 * const finding: SecurityFinding = {
 *   id: 'tourniquet/posture/aws.s3-access-logging/111122223333/models-prod', kind: 'posture',
 *   generator: 'tourniquet/posture/aws.s3-access-logging', title: 'S3 server access logging is off',
 *   description: '…', severity: 7, cloud: 'aws', account: '111122223333', region: 'us-east-1',
 *   firstSeenAt: now, lastSeenAt: now, createdAt: now, updatedAt: now, state: 'active',
 *   resources: [{ kind: 'bucket', id: 'arn:aws:s3:::models-prod' }],
 *   types: ['Software and Configuration Checks/AWS Security Best Practices'], properties: {},
 *   compliance: { status: 'fail', control: 'aws.s3-access-logging', standard: 'Tourniquet readiness' },
 * };
 */
export interface SecurityFinding {
  /** Stable for the same problem on the same resource: a re-import updates instead of duplicating. */
  id: string;
  /** `posture` becomes an OCSF Compliance Finding, `incident` a Detection Finding. */
  kind: FindingKind;
  /** The unit of logic that produced it, e.g. `tourniquet/posture/aws.s3-access-logging`. */
  generator: string;
  title: string;
  description: string;
  /** 0–10 on GuardDuty's scale (Low from 1, Medium from 4, High from 7, Critical from 9). */
  severity: number;
  cloud: Cloud;
  /** AWS account id or Azure subscription id. */
  account: string;
  region?: string;
  /** Entra tenant id (Azure). */
  tenant?: string;
  /** ISO 8601 times: first and last observation, creation and last update of the finding. */
  firstSeenAt: string;
  lastSeenAt: string;
  createdAt: string;
  updatedAt: string;
  /** At least one: what the finding is about (ASFF allows 32). */
  resources: FindingResource[];
  /** ASFF finding types (`namespace/category/classifier`), also OCSF `finding_info.types`. */
  types: string[];
  compliance?: {
    status: ComplianceStatus;
    /** The check's id. */
    control: string;
    standard: string;
  };
  remediation?: { text: string; url?: string };
  /** `resolved` when a previously failing check passes again, or an incident was released. */
  state: 'active' | 'resolved';
  /**
   * Where an incident stands for the SOC (ASFF `Workflow.Status`, OCSF `status`): `new` when it was
   * contained, `notified` once humans were told, `resolved` when it was released. Posture findings
   * have none.
   */
  workflow?: FindingWorkflow;
  /** Extra facts as text (ASFF ProductFields, OCSF `unmapped`). */
  properties: Record<string, string>;
}

export const FINDING_WORKFLOWS = ['new', 'notified', 'resolved'] as const;
export type FindingWorkflow = (typeof FINDING_WORKFLOWS)[number];

export const FINDING_KINDS = ['posture', 'incident'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const COMPLIANCE_STATUSES = ['pass', 'fail', 'unknown'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export const FINDING_RESOURCE_KINDS = [
  'account',
  'bucket',
  'role',
  'user',
  'trail',
  'network-interface',
  'subnet',
  'vpc',
  'detector',
  'event-rule',
  'queue',
  'model-endpoint',
  'storage-account',
  'container',
  'service-principal',
  'network-watcher',
  'cognitive-account',
  'event-subscription',
  'other',
] as const;
export type FindingResourceKind = (typeof FINDING_RESOURCE_KINDS)[number];

export interface FindingResource {
  kind: FindingResourceKind;
  /** ARN, ARM resource id, or the best identifier the cloud has. */
  id: string;
  name?: string;
  region?: string;
}

/** Severity bands shared by both formats (GuardDuty's, which ASFF and OCSF also follow). */
export const SEVERITY_BANDS = [
  { from: 9, label: 'CRITICAL', ocsf: 5 },
  { from: 7, label: 'HIGH', ocsf: 4 },
  { from: 4, label: 'MEDIUM', ocsf: 3 },
  { from: 1, label: 'LOW', ocsf: 2 },
  { from: 0, label: 'INFORMATIONAL', ocsf: 1 },
] as const;

export function severityBand(severity: number): (typeof SEVERITY_BANDS)[number] {
  return SEVERITY_BANDS.find((b) => severity >= b.from) ?? SEVERITY_BANDS[4];
}
