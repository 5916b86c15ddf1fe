import type { Cloud } from '../alert.ts';
import {
  type FindingResource,
  type FindingResourceKind,
  type SecurityFinding,
  severityBand,
} from './finding.ts';

/** The OCSF schema version the emitter writes (classes 2003 Compliance and 2004 Detection Finding). */
export const OCSF_VERSION = '1.1.0';

export interface OcsfResource {
  uid: string;
  type: string;
  name?: string;
  region?: string;
  cloud_partition?: string;
}

/**
 * An OCSF 1.1.0 finding event: a Compliance Finding (class 2003) for posture, a Detection Finding
 * (class 2004) for incidents, with the cloud profile. `schema/findings/ocsf-finding.schema.json`
 * holds it to the attributes and enums of OCSF 1.1.0.
 */
export interface OcsfFinding {
  activity_id: 1 | 2 | 3;
  activity_name: 'Create' | 'Update' | 'Close';
  category_uid: 2;
  category_name: 'Findings';
  class_uid: 2003 | 2004;
  class_name: 'Compliance Finding' | 'Detection Finding';
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: number;
  severity: string;
  status_id: 1 | 2 | 4;
  status: 'New' | 'In Progress' | 'Resolved';
  message: string;
  metadata: {
    version: typeof OCSF_VERSION;
    product: { name: 'Tourniquet'; vendor_name: 'Tourniquet'; version: string };
    profiles: ['cloud'];
    uid: string;
    tenant_uid?: string;
  };
  cloud: {
    provider: 'AWS' | 'Azure';
    region?: string;
    account: { uid: string; type_id: 10 | 99; type: string };
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    created_time: number;
    modified_time: number;
    first_seen_time: number;
    last_seen_time: number;
    analytic: { uid: string; name: string; type_id: 1; type: 'Rule' };
  };
  compliance?: { standards: string[]; control: string; status_id: 1 | 2 | 3; status: string };
  remediation?: { desc: string; references?: string[] };
  resource?: OcsfResource;
  resources?: OcsfResource[];
  unmapped: Record<string, string>;
}

const AWS_TYPES: Partial<Record<FindingResourceKind, string>> = {
  account: 'AWS::::Account',
  bucket: 'AWS::S3::Bucket',
  role: 'AWS::IAM::Role',
  user: 'AWS::IAM::User',
  trail: 'AWS::CloudTrail::Trail',
  'network-interface': 'AWS::EC2::NetworkInterface',
  subnet: 'AWS::EC2::Subnet',
  vpc: 'AWS::EC2::VPC',
  detector: 'AWS::GuardDuty::Detector',
  'event-rule': 'AWS::Events::Rule',
  queue: 'AWS::SQS::Queue',
  'model-endpoint': 'AWS::Bedrock::Model',
};
const AZURE_TYPES: Partial<Record<FindingResourceKind, string>> = {
  account: 'Microsoft.Resources/subscriptions',
  'storage-account': 'Microsoft.Storage/storageAccounts',
  container: 'Microsoft.Storage/storageAccounts/blobServices/containers',
  'service-principal': 'Microsoft.Graph/servicePrincipals',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  'network-interface': 'Microsoft.Network/networkInterfaces',
  'network-watcher': 'Microsoft.Network/networkWatchers',
  'cognitive-account': 'Microsoft.CognitiveServices/accounts',
  'event-subscription': 'Microsoft.EventGrid/eventSubscriptions',
};

/** OCSF `status_id` / `status` for an incident's workflow (posture: new or resolved by its state). */
const STATUS = {
  new: { status_id: 1, status: 'New' },
  notified: { status_id: 2, status: 'In Progress' },
  resolved: { status_id: 4, status: 'Resolved' },
} as const;

const COMPLIANCE = { pass: [1, 'Pass'], unknown: [2, 'Warning'], fail: [3, 'Fail'] } as const;
const SEVERITY_NAMES = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'] as const;

function resourceOf(cloud: Cloud, r: FindingResource, region: string | undefined): OcsfResource {
  const type = (cloud === 'aws' ? AWS_TYPES : AZURE_TYPES)[r.kind] ?? 'Other';
  return {
    uid: r.id,
    type,
    ...(r.name ? { name: r.name } : {}),
    ...((r.region ?? region) ? { region: r.region ?? region } : {}),
    ...(cloud === 'aws' ? { cloud_partition: 'aws' } : {}),
  };
}

/**
 * Turns a finding into one OCSF 1.1.0 event. `activity` says whether the finding is new (Create),
 * seen again (Update) or resolved (Close); times are epoch milliseconds as OCSF `timestamp_t` is.
 *
 * @example
 * console.log(JSON.stringify(toOcsf(finding, { activity: 'Create', productVersion: '0.1.0', now })));
 */
export function toOcsf(
  finding: SecurityFinding,
  options: { activity: OcsfFinding['activity_name']; productVersion: string; now: Date },
): OcsfFinding {
  const ms = (iso: string) => Date.parse(iso);
  const classUid = finding.kind === 'posture' ? 2003 : 2004;
  const className = finding.kind === 'posture' ? 'Compliance Finding' : 'Detection Finding';
  const activityId = ({ Create: 1, Update: 2, Close: 3 } as const)[options.activity];
  const band = severityBand(finding.severity);
  const resources = finding.resources.map((r) => resourceOf(finding.cloud, r, finding.region));
  const resolved = finding.state === 'resolved';
  const compliance = finding.compliance ? COMPLIANCE[finding.compliance.status] : undefined;
  return {
    activity_id: activityId,
    activity_name: options.activity,
    category_uid: 2,
    category_name: 'Findings',
    class_uid: classUid,
    class_name: className,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${options.activity}`,
    time: options.now.getTime(),
    severity_id: band.ocsf,
    severity: SEVERITY_NAMES[band.ocsf],
    ...STATUS[finding.workflow ?? (resolved ? 'resolved' : 'new')],
    message: finding.title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Tourniquet', vendor_name: 'Tourniquet', version: options.productVersion },
      profiles: ['cloud'],
      uid: `${finding.id}@${options.now.toISOString()}`,
      ...(finding.tenant ? { tenant_uid: finding.tenant } : {}),
    },
    cloud: {
      provider: finding.cloud === 'aws' ? 'AWS' : 'Azure',
      ...(finding.region ? { region: finding.region } : {}),
      account:
        finding.cloud === 'aws'
          ? { uid: finding.account, type_id: 10, type: 'AWS Account' }
          : { uid: finding.account, type_id: 99, type: 'Azure Subscription' },
    },
    finding_info: {
      uid: finding.id,
      title: finding.title,
      desc: finding.description,
      types: finding.types,
      created_time: ms(finding.createdAt),
      modified_time: ms(finding.updatedAt),
      first_seen_time: ms(finding.firstSeenAt),
      last_seen_time: ms(finding.lastSeenAt),
      analytic: { uid: finding.generator, name: finding.generator, type_id: 1, type: 'Rule' },
    },
    ...(finding.compliance && compliance
      ? {
          compliance: {
            standards: [finding.compliance.standard],
            control: finding.compliance.control,
            status_id: compliance[0],
            status: compliance[1],
          },
        }
      : {}),
    ...(finding.remediation
      ? {
          remediation: {
            desc: finding.remediation.text,
            ...(finding.remediation.url ? { references: [finding.remediation.url] } : {}),
          },
        }
      : {}),
    // A Compliance Finding names one resource; a Detection Finding lists them (OCSF 1.1.0).
    ...(classUid === 2003 ? { resource: resources[0] } : { resources }),
    unmapped: {
      ...finding.properties,
      ...(classUid === 2003 && resources.length > 1
        ? {
            related_resources: resources
              .slice(1)
              .map((r) => r.uid)
              .join(' '),
          }
        : {}),
    },
  };
}
