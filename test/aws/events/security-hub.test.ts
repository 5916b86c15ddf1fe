/**
 * `Security Hub Findings - Imported`: Security Hub User Guide "EventBridge formats for Security Hub"
 * (securityhub-cwe-event-formats) and the ASFF (securityhub-findings-format, resource details
 * AwsIamAccessKey/AwsIamUser/AwsIamRole/AwsS3Bucket/AwsS3Object). GuardDuty's copies follow the GuardDuty
 * User Guide "Integration with AWS Security Hub" (Id = GuardDuty finding ARN, Types `…/Threat:Resource-Family`).
 */
import { describe, expect, it } from 'vitest';
import { incidentIdFor } from '../../../core/incident-id.ts';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { ACCOUNT } from '../../support/config.ts';
import { alertsOf, bucket, fixture, type Mutable, object, roleSession } from './fixtures.ts';

const batch = () => fixture('events', 'securityhub-findings.json');
const GD_ARN = `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a6c7d2e1b0f94e3a8c5d7e9f1a2b3c4d`;

describe('parseAwsEvent: Security Hub Findings - Imported', () => {
  it('makes one alert per finding of the batch', () => {
    const [copy, custom, ...rest] = alertsOf(parseAwsEvent(batch()));
    expect(rest).toEqual([]);
    expect(copy).toEqual({
      id: GD_ARN,
      dedupeKey: `aws:guardduty:${ACCOUNT}:us-east-1:a6c7d2e1b0f94e3a8c5d7e9f1a2b3c4d`,
      actor: {
        id: `arn:aws:sts::${ACCOUNT}:assumed-role/llm-finetune-role/botocore-session-1764064512`,
        kind: 'session',
        session: 'AROAEXAMPLEFINETUNE1:botocore-session-1764064512',
      },
      cloud: 'aws',
      source: 'securityhub',
      type: 'Exfiltration:S3/AnomalousBehavior',
      severity: 8,
      observedAt: '2026-11-25T09:58:47.000Z',
      account: ACCOUNT,
      region: 'us-east-1',
      principal: roleSession(
        'llm-finetune-role',
        'botocore-session-1764064512',
        'AROAEXAMPLEFINETUNE1',
        'ASIAEXAMPLEFINETUNE1',
      ),
      resources: [bucket('models-prod')],
      sample: false,
      title: 'Anomalous S3 reads of models-prod by llm-finetune-role from 198.51.100.7',
      context: { productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' },
    });
    expect(custom).toEqual({
      id: 'llm-egress-monitor/2026-11-25/000117',
      dedupeKey: `aws:securityhub:${ACCOUNT}:us-east-1:llm-egress-monitor/2026-11-25/000117`,
      cloud: 'aws',
      source: 'securityhub',
      type: 'Effects/Data Exfiltration',
      severity: 7,
      observedAt: '2026-11-25T09:59:30.000Z',
      account: ACCOUNT,
      region: 'us-east-1',
      principal: {
        id: `arn:aws:iam::${ACCOUNT}:role/data-export-role`,
        kind: 'role',
        account: ACCOUNT,
        name: 'data-export-role',
        aliases: [],
        // A custom product's claim about an actor: escalated, never revoked.
        certain: false,
      },
      resources: [bucket('training-data')],
      sample: false,
      title: 'training-data copied to a destination outside the organization',
      context: {
        productArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
        untrustedProduct: true,
      },
    });
  });

  it("gives GuardDuty's copy the same dedupe key, type and incident as the GuardDuty finding", () => {
    const [direct] = alertsOf(
      parseAwsEvent(fixture('events', 'guardduty-s3-exfiltration-assumed-role.json')),
    );
    const [copy] = alertsOf(parseAwsEvent(batch()));
    expect(copy?.dedupeKey).toBe(direct?.dedupeKey);
    expect(copy?.type).toBe(direct?.type);
    expect(copy?.severity).toBe(direct?.severity);
    expect(incidentIdFor(copy as { dedupeKey: string })).toBe(incidentIdFor(direct as { dedupeKey: string }));
  });

  it.each([
    ['TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce', 'UnauthorizedAccess:EC2/SSHBruteForce'],
    ['TTPs/PenTest:IAMUser/KaliLinux', 'PenTest:IAMUser/KaliLinux'],
    [
      'Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration',
      'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration',
    ],
  ])('reads the GuardDuty type back from the ASFF type %s', (asffType, type) => {
    const e = batch();
    e.detail.findings[0].Types = [asffType];
    expect(alertsOf(parseAwsEvent(e))[0]?.type).toBe(type);
  });

  it('skips archived findings and ignores a batch with nothing active', () => {
    expect(parseAwsEvent(fixture('events', 'securityhub-archived.json'))).toEqual({
      kind: 'ignored',
      reason: expect.stringMatching(/^no active finding in the batch: finding ".*" is archived$/),
    });
  });

  it.each(['RESOLVED', 'SUPPRESSED'])('skips findings whose workflow status is %s', (status) => {
    const e = batch();
    e.detail.findings[1].Workflow.Status = status;
    expect(alertsOf(parseAwsEvent(e)).map((a) => a.type)).toEqual(['Exfiltration:S3/AnomalousBehavior']);
  });

  it.each([
    [{ Label: 'CRITICAL' }, 9],
    [{ Label: 'INFORMATIONAL' }, 0],
    [{ Label: 'LOW', Normalized: 35 }, 3.5],
  ])('maps severity %j onto 0–10 as %d', (severity, expected) => {
    const e = batch();
    e.detail.findings[1].Severity = severity;
    expect(alertsOf(parseAwsEvent(e))[1]?.severity).toBe(expected);
  });

  it('marks sample findings', () => {
    const e = batch();
    e.detail.findings[1].Sample = true;
    expect(alertsOf(parseAwsEvent(e))[1]?.sample).toBe(true);
  });

  it('names objects, IAM users and access keys from their resource details', () => {
    const e = batch();
    e.detail.findings[1].Resources = [
      { Type: 'AwsS3Object', Id: 'arn:aws:s3:::training-data/exports/part-0001.parquet', Partition: 'aws' },
      { Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/etl/ml-pipeline`, Partition: 'aws' },
    ];
    const [, alert] = alertsOf(parseAwsEvent(e));
    expect(alert?.resources).toEqual([
      bucket('training-data'),
      object('training-data', 'exports/part-0001.parquet'),
    ]);
    expect(alert?.principal).toMatchObject({
      id: `arn:aws:iam::${ACCOUNT}:user/ml-pipeline`,
      kind: 'user',
      certain: false,
    });
    e.detail.findings[1].ProductArn = 'arn:aws:securityhub:us-east-1::product/aws/macie';
    expect(alertsOf(parseAwsEvent(e))[1]?.principal?.certain).toBe(true);
  });

  it('makes the identity uncertain when the resources name two different principals', () => {
    const e = batch();
    const other = {
      Type: 'AwsIamRole',
      Id: `arn:aws:iam::${ACCOUNT}:role/ml-inference-prod`,
      Partition: 'aws',
    };
    e.detail.findings[0].Resources.push(other);
    const [alert] = alertsOf(parseAwsEvent(e));
    // The access key's role is listed first; revoking it on a finding that names another would guess.
    expect(alert?.principal).toMatchObject({
      id: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
      certain: false,
    });
    expect(alert?.context.candidatePrincipals).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
      `arn:aws:iam::${ACCOUNT}:role/ml-inference-prod`,
    ]);
    // The same role named again (key and role resource) is one principal: still certain.
    other.Id = `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`;
    expect(alertsOf(parseAwsEvent(e))[0]?.principal?.certain).toBe(true);
  });

  it.each([
    [
      'a foreign resource partition',
      (e: Mutable) => (e.detail.findings[1].Resources[0].Partition = 'aws-cn'),
      /aws partition/,
    ],
    [
      'a GuardDuty product finding whose Id is no GuardDuty ARN',
      (e: Mutable) => (e.detail.findings[0].Id = 'forged-0001'),
      /not a GuardDuty finding ARN/,
    ],
    [
      'a GuardDuty finding ARN from another account',
      (e: Mutable) => (e.detail.findings[0].Id = GD_ARN.replace(ACCOUNT, '999999999999')),
      /differs from AwsAccountId/,
    ],
    ['a finding without any type', (e: Mutable) => delete e.detail.findings[1].Types, /has no type/],
    [
      'a severity without Normalized or a known Label',
      (e: Mutable) => (e.detail.findings[1].Severity = { Label: 'SEVERE' }),
      /Severity/,
    ],
    [
      'an invalid bucket in one finding',
      (e: Mutable) => (e.detail.findings[1].Resources[0].Id = 'arn:aws:s3:::Training_Data'),
      /findings.1.Resources.0.Id/,
    ],
    ['an empty batch', (e: Mutable) => (e.detail.findings = []), /detail.findings/],
  ])('rejects the whole batch for %s', (_name, change, reason) => {
    const e = batch();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});
