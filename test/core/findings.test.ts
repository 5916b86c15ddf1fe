import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { toAsff } from '../../core/findings/asff.ts';
import type { SecurityFinding } from '../../core/findings/finding.ts';
import { toOcsf } from '../../core/findings/ocsf.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const schema = (name: string) => JSON.parse(readFileSync(`schema/findings/${name}.schema.json`, 'utf8'));
const asffValid = ajv.compile(schema('asff-finding'));
const ocsfValid = ajv.compile(schema('ocsf-finding'));
const errors = (validate: typeof asffValid) => ajv.errorsText(validate.errors);

const NOW = new Date('2026-03-02T06:00:00.000Z');
const FAILED = {
  status: 'fail',
  control: 'aws.s3-access-logging',
  standard: 'Tourniquet LLM leak readiness',
} as const;
const posture: SecurityFinding = {
  id: 'tourniquet/posture/aws.s3-access-logging/111122223333/models-prod',
  kind: 'posture',
  generator: 'tourniquet/posture/aws.s3-access-logging',
  title: 'S3 server access logging is off for models-prod',
  description: 'The bulk-read and first-reader detectors read S3 server access logs of asset buckets.',
  severity: 7,
  cloud: 'aws',
  account: '444455556666',
  region: 'eu-west-1',
  firstSeenAt: '2026-03-01T06:00:00.000Z',
  lastSeenAt: NOW.toISOString(),
  createdAt: '2026-03-01T06:00:00.000Z',
  updatedAt: NOW.toISOString(),
  resources: [
    { kind: 'bucket', id: 'arn:aws:s3:::models-prod', name: 'models-prod' },
    { kind: 'account', id: 'AWS::::Account:444455556666' },
  ],
  types: ['Software and Configuration Checks/AWS Security Best Practices'],
  compliance: FAILED,
  remediation: { text: 'aws s3api put-bucket-logging --bucket models-prod …' },
  state: 'active',
  properties: { subject: 'models-prod' },
};
const incident: SecurityFinding = {
  ...posture,
  id: 'aws-guardduty-5eb0',
  kind: 'incident',
  generator: 'tourniquet/incident/aws-guardduty-s3-exfiltration',
  title: 'Model weights read in bulk by arn:aws:iam::444455556666:role/etl',
  types: ['Effects/Data Exfiltration'],
  resources: [{ kind: 'role', id: 'arn:aws:iam::444455556666:role/etl' }],
};
delete incident.compliance;
const azure: SecurityFinding = {
  ...posture,
  id: 'tourniquet/posture/azure.blob-diagnostics/stweights',
  cloud: 'azure',
  account: '4a1b2c3d-5e6f-4789-8abc-def012345678',
  tenant: 'b6c1a5e2-3f4d-4e8a-9c71-2d5e8f0a1b3c',
  region: 'westeurope',
  resources: [{ kind: 'storage-account', id: '/subscriptions/4a1b…/storageAccounts/stweights' }],
};

describe('toAsff', () => {
  it.each([
    ['posture', posture],
    ['incident', incident],
    [
      'resolved posture',
      {
        ...posture,
        state: 'resolved' as const,
        compliance: { ...FAILED, status: 'pass' as const },
      },
    ],
  ])('writes a %s finding the ASFF schema accepts', (_name, finding) => {
    const asff = toAsff(finding, { importAccount: '111122223333', region: 'us-east-1' });
    expect(asffValid(asff), errors(asffValid)).toBe(true);
  });

  it('imports into the home account default product, for the member account the finding is about', () => {
    const asff = toAsff(posture, { importAccount: '111122223333', region: 'us-east-1' });
    expect(asff).toMatchObject({
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      AwsAccountId: '444455556666',
      Region: 'eu-west-1',
      Severity: { Label: 'HIGH', Original: '7' },
      Compliance: { Status: 'FAILED', SecurityControlId: 'aws.s3-access-logging' },
      RecordState: 'ACTIVE',
      Resources: [
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::models-prod', Partition: 'aws', Region: 'eu-west-1' },
        { Type: 'AwsAccount', Id: 'AWS::::Account:444455556666', Partition: 'aws', Region: 'eu-west-1' },
      ],
    });
  });

  it('archives a resolved finding with compliance PASSED, leaving the workflow to Security Hub', () => {
    const asff = toAsff(
      { ...posture, state: 'resolved', compliance: { ...FAILED, status: 'pass' } },
      { importAccount: '111122223333', region: 'us-east-1' },
    );
    expect(asff.RecordState).toBe('ARCHIVED');
    expect(asff.Compliance?.Status).toBe('PASSED');
    expect(asff).not.toHaveProperty('Workflow');
  });

  it.each([
    [0, 'INFORMATIONAL'],
    [1, 'LOW'],
    [3.9, 'LOW'],
    [4, 'MEDIUM'],
    [6.9, 'MEDIUM'],
    [7, 'HIGH'],
    [8.9, 'HIGH'],
    [9, 'CRITICAL'],
    [10, 'CRITICAL'],
  ])('maps severity %s to %s', (severity, label) => {
    expect(
      toAsff({ ...posture, severity }, { importAccount: '111122223333', region: 'us-east-1' }).Severity.Label,
    ).toBe(label);
  });

  it('cuts texts, resources and fields to the ASFF limits instead of failing the import', () => {
    const big = {
      ...posture,
      title: 'x'.repeat(400),
      description: 'y'.repeat(3000),
      remediation: { text: 'z'.repeat(900) },
      resources: Array.from({ length: 40 }, (_, i) => ({
        kind: 'bucket' as const,
        id: `arn:aws:s3:::b${i}`,
      })),
      properties: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, 'v'.repeat(3000)])),
    };
    const asff = toAsff(big, { importAccount: '111122223333', region: 'us-east-1' });
    expect(asffValid(asff), errors(asffValid)).toBe(true);
    expect([asff.Title.length, asff.Description.length, asff.Resources.length]).toEqual([256, 1024, 32]);
  });

  it('the schema refuses what Security Hub would refuse (it can fail)', () => {
    const asff = toAsff(posture, { importAccount: '111122223333', region: 'us-east-1' });
    const { Title: _t, ...untitled } = asff;
    expect(asffValid(untitled)).toBe(false);
    expect(asffValid({ ...asff, Severity: { Label: 'SEVERE' } })).toBe(false);
    expect(asffValid({ ...asff, Types: ['a/b/c/d'] })).toBe(false);
    expect(asffValid({ ...asff, Workflow: { Status: 'NEW' } })).toBe(false);
  });
});

describe('toOcsf', () => {
  it.each([
    ['a posture finding as a Compliance Finding', posture, 2003],
    ['an incident as a Detection Finding', incident, 2004],
    ['an Azure posture finding', azure, 2003],
  ])('writes %s the OCSF 1.1.0 schema accepts', (_name, finding, classUid) => {
    for (const activity of ['Create', 'Update', 'Close'] as const) {
      const event = toOcsf(finding, { activity, productVersion: '0.1.0', now: NOW });
      expect(ocsfValid(event), errors(ocsfValid)).toBe(true);
      expect(event.class_uid).toBe(classUid);
      expect(event.type_uid).toBe(classUid * 100 + event.activity_id);
    }
  });

  it('carries the check, its status and the cloud account as OCSF expects them', () => {
    const event = toOcsf(posture, { activity: 'Create', productVersion: '0.1.0', now: NOW });
    expect(event).toMatchObject({
      class_name: 'Compliance Finding',
      type_name: 'Compliance Finding: Create',
      time: NOW.getTime(),
      severity_id: 4,
      severity: 'High',
      status_id: 1,
      cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: '444455556666', type_id: 10 } },
      compliance: {
        standards: ['Tourniquet LLM leak readiness'],
        control: 'aws.s3-access-logging',
        status_id: 3,
        status: 'Fail',
      },
      resource: { uid: 'arn:aws:s3:::models-prod', type: 'AWS::S3::Bucket', cloud_partition: 'aws' },
      unmapped: { subject: 'models-prod', related_resources: 'AWS::::Account:444455556666' },
      finding_info: { uid: posture.id, first_seen_time: Date.parse('2026-03-01T06:00:00.000Z') },
    });
    const az = toOcsf(azure, { activity: 'Create', productVersion: '0.1.0', now: NOW });
    expect(az.cloud.account).toEqual({ uid: azure.account, type_id: 99, type: 'Azure Subscription' });
    expect(az.metadata.tenant_uid).toBe(azure.tenant);
    expect(az.resource?.type).toBe('Microsoft.Storage/storageAccounts');
  });

  it('the schema refuses a class/type mismatch and a Compliance Finding without compliance', () => {
    const event = toOcsf(posture, { activity: 'Create', productVersion: '0.1.0', now: NOW });
    expect(ocsfValid({ ...event, type_uid: 200401 })).toBe(false);
    const { compliance: _c, ...bare } = event;
    expect(ocsfValid(bare)).toBe(false);
    expect(ocsfValid({ ...event, time: event.finding_info.created_time.toString() })).toBe(false);
  });
});
