import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ASSUME_ROLE_PERMISSIONS } from '../../functions-aws/clients.ts';
import { WINDOW_STORE_PERMISSIONS } from '../../functions-aws/detect/dynamodb-window-store.ts';
import { LOG_READ_PERMISSIONS } from '../../functions-aws/detect/s3-log-object.ts';
import { JOB_STATUS_PERMISSIONS } from '../../functions-aws/evidence-job-end.ts';
import { EVIDENCE_JOB_PERMISSIONS } from '../../functions-aws/executors/evidence-jobs.ts';
import { awsExecutors, executorPermissions } from '../../functions-aws/executors/index.ts';
import {
  FINDING_DETAIL_TYPE,
  FINDING_HANDOVER_PERMISSIONS,
  FINDING_SOURCE,
} from '../../functions-aws/finding-handover.ts';
import { INCIDENT_FINDING_PERMISSIONS } from '../../functions-aws/incident-findings.ts';
import { JOURNAL_STORE_PERMISSIONS } from '../../functions-aws/journal-store.ts';
import { SECURITY_HUB_PERMISSIONS } from '../../functions-aws/posture/security-hub-publisher.ts';
import { SEALED_FINDING_PERMISSIONS } from '../../functions-aws/sealed-finding.ts';
import { awsPack } from '../../packs/aws/pack.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { AWS_POSTURE_OPERATIONS, type AwsPostureOperation } from '../../packs/aws/posture/operations.ts';

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: unknown;
}

const registry = awsExecutors((async () => ({})) as never, {
  escalationBus: 'default',
  homeAccount: '111122223333',
});
const declared = executorPermissions(registry);

function statements(
  template: { Resources: Record<string, { Properties: Record<string, unknown> }> },
  role: string,
  policy = 'contain',
) {
  const policies = template.Resources[role]?.Properties.Policies as {
    PolicyName: string;
    PolicyDocument: { Statement: Statement[] };
  }[];
  return policies.find((p) => p.PolicyName === policy)?.PolicyDocument.Statement ?? [];
}
const actionsOf = (s: Statement[]) => [...new Set(s.flatMap((x) => [x.Action].flat()))].sort();
/** A CloudFormation Fn::Sub as serverless.yml writes it: `{{X}}` stands for `${X}`. */
const sub = (text: string) => ({ 'Fn::Sub': text.replace(/\{\{([^}]+)\}\}/g, (_, v) => `\${${v}}`) });

describe('least privilege', () => {
  it('every executor declares the permissions it needs', () => {
    for (const [kind, executor] of Object.entries(registry)) {
      expect(executor.permissions.length, `${kind} declares no permissions`).toBeGreaterThan(0);
    }
  });

  it('serverless.yml grants the home role exactly what the executors, the journal, member access and the findings handover declare', () => {
    const template = parse(readFileSync('serverless.yml', 'utf8'));
    const granted = statements({ Resources: template.resources.Resources }, 'TourniquetRole');
    const expected = [
      ...new Set([
        ...declared,
        ...JOURNAL_STORE_PERMISSIONS,
        ...ASSUME_ROLE_PERMISSIONS,
        ...JOB_STATUS_PERMISSIONS,
        ...FINDING_HANDOVER_PERMISSIONS,
      ]),
    ].sort();
    expect(actionsOf(granted)).toEqual(expected);
    // Incident findings are imported by the findings function's own role, not by this one.
    expect(actionsOf(granted).filter((a) => a.startsWith('securityhub:'))).toEqual([]);
    expect(granted.find((s) => s.Sid === 'HandOverIncidentFindings')).toEqual({
      Sid: 'HandOverIncidentFindings',
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: sub('arn:{{AWS::Partition}}:events:{{AWS::Region}}:{{AWS::AccountId}}:event-bus/default'),
    });
  });

  it('serverless.yml grants the scan function exactly what the log reader and the window store declare', () => {
    const template = parse(readFileSync('serverless.yml', 'utf8'));
    const granted = statements({ Resources: template.resources.Resources }, 'TourniquetRole', 'scan');
    expect(actionsOf(granted)).toEqual(
      [...new Set([...LOG_READ_PERMISSIONS, ...WINDOW_STORE_PERMISSIONS])].sort(),
    );
  });

  it('serverless.yml grants the posture function exactly what its checks declare, and the findings import', () => {
    const template = parse(readFileSync('serverless.yml', 'utf8'));
    const granted = statements({ Resources: template.resources.Resources }, 'TourniquetRole', 'posture');
    const ops = new Set(awsPostureChecks.flatMap((c) => c.operations));
    const declared = [...ops].flatMap((op) => AWS_POSTURE_OPERATIONS[op as AwsPostureOperation].permissions);
    expect(actionsOf(granted)).toEqual([...new Set([...declared, ...SECURITY_HUB_PERMISSIONS])].sort());
    // Reads only: nothing in it writes, but the import of findings.
    expect(actionsOf(granted).filter((a) => !/:(Get|List|Describe)/.test(a))).toEqual([
      'securityhub:BatchImportFindings',
    ]);
  });

  it('grants nothing on every resource: each statement names its resources', () => {
    const template = parse(readFileSync('serverless.yml', 'utf8'));
    for (const s of statements({ Resources: template.resources.Resources }, 'TourniquetRole')) {
      // s3:CreateJob has no resource type: '*' is the only resource it takes, so it is held by
      // conditions on the operation and priority instead.
      if (s.Sid === 'CreateEvidenceJobs') {
        expect([s.Action, (s as { Condition?: unknown }).Condition]).toEqual([
          ['s3:CreateJob'],
          {
            StringEquals: {
              's3:RequestJobOperation': ['S3PutObjectLegalHold', 'S3PutObjectCopy'],
              's3:RequestJobPriority': '10',
            },
          },
        ]);
        continue;
      }
      // organizations:ListPolicies has no resource type either: held to service control policies.
      if (s.Sid === 'FindIsolatingPolicies') {
        expect([s.Action, (s as { Condition?: unknown }).Condition]).toEqual([
          ['organizations:ListPolicies'],
          { StringEquals: { 'organizations:PolicyType': 'SERVICE_CONTROL_POLICY' } },
        ]);
        continue;
      }
      expect(s.Resource, s.Sid).not.toBe('*');
    }
  });

  it('the member-account role grants the executor permissions, minus escalation (always published at home)', () => {
    const template = parse(readFileSync('deploy/member-role.yml', 'utf8'));
    // Escalations and evidence jobs run in the home account only (member buckets: per object, capped).
    // Model isolation attaches service control policies from the home account (Organizations).
    const homeOnly = new Set<string>(['events:PutEvents', ...EVIDENCE_JOB_PERMISSIONS, 's3:CreateJob']);
    for (const p of declared) if (p.startsWith('organizations:')) homeOnly.add(p);
    const expected = declared.filter((p) => !homeOnly.has(p));
    expect(actionsOf(statements(template, 'MemberRole'))).toEqual(expected);
  });
});

describe('the findings function', () => {
  const EVIDENCE = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')).aws.evidenceBucket;
  const template = parse(readFileSync('serverless.yml', 'utf8'));
  const resources = { Resources: template.resources.Resources };
  const fn = template.functions.findings;

  it('runs as a role of its own that may only import incident findings, read their journals, log and dead-letter', async () => {
    expect(fn.role).toBe('FindingsRole');
    const others = Object.entries(template.functions as Record<string, { role?: string }>)
      .filter(([name, f]) => name !== 'findings' && f.role !== undefined)
      .map(([name]) => name);
    expect(others).toEqual([]);
    const policies = (
      template.resources.Resources.FindingsRole.Properties.Policies as { PolicyName: string }[]
    ).map((p) => p.PolicyName);
    expect(policies).toEqual(['logs', 'findings', 'journal']);
    expect(actionsOf(statements(resources, 'FindingsRole', 'findings'))).toEqual(
      [...INCIDENT_FINDING_PERMISSIONS].sort(),
    );
    expect(statements(resources, 'FindingsRole', 'findings').map((s) => s.Resource)).toEqual([
      [
        sub(
          'arn:{{AWS::Partition}}:securityhub:{{AWS::Region}}:{{AWS::AccountId}}:product/{{AWS::AccountId}}/default',
        ),
        sub('arn:{{AWS::Partition}}:securityhub:{{AWS::Region}}:{{AWS::AccountId}}:hub/default'),
      ],
    ]);
    // The journals it rebuilds findings from: read them, mark each seal published, nothing else.
    const journal = statements(resources, 'FindingsRole', 'journal');
    expect(actionsOf(journal)).toEqual([...SEALED_FINDING_PERMISSIONS].sort());
    expect(journal.map((s) => [s.Action, s.Resource])).toEqual([
      [['s3:GetObject'], `\${self:custom.config.evidenceJournalArns}`],
      [['s3:ListBucket'], `\${self:custom.config.evidenceBucketArn}`],
      [['s3:PutObject'], `\${self:custom.config.evidenceFindingMarkArn}`],
    ]);
    const resolve = createRequire(import.meta.url)('../../deploy/config.cjs') as () => Promise<{
      evidenceJournalArns: string[];
      evidenceBucketArn: string;
      evidenceFindingMarkArn: string;
    }>;
    const { evidenceJournalArns, evidenceBucketArn, evidenceFindingMarkArn } = await resolve();
    expect([evidenceJournalArns, evidenceBucketArn, evidenceFindingMarkArn]).toEqual([
      [`arn:aws:s3:::${EVIDENCE}/incidents/*/journal/*`, `arn:aws:s3:::${EVIDENCE}/incidents/*/findings/*`],
      `arn:aws:s3:::${EVIDENCE}`,
      `arn:aws:s3:::${EVIDENCE}/incidents/*/findings/*`,
    ]);
    const logs = statements(resources, 'FindingsRole', 'logs');
    expect(actionsOf(logs)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage']);
    expect(logs.map((s) => s.Resource)).toEqual([
      sub(
        'arn:{{AWS::Partition}}:logs:{{AWS::Region}}:{{AWS::AccountId}}:log-group:/aws/lambda/{{self:service}}-{{sls:stage}}-findings:*',
      ),
      { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
    ]);
  });

  it('takes only this account’s handovers, retried and dead-lettered as the other event functions are', () => {
    expect(fn.events).toEqual([
      {
        eventBridge: {
          pattern: {
            source: [FINDING_SOURCE],
            'detail-type': [FINDING_DETAIL_TYPE],
            account: [{ Ref: 'AWS::AccountId' }],
          },
          retryPolicy: template.functions.contain.events[0].eventBridge.retryPolicy,
          deadLetterQueueArn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
        },
      },
    ]);
    expect([fn.maximumRetryAttempts, fn.destinations]).toEqual([
      2,
      { onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } },
    ]);
  });
});

describe('guardrails in the deployed role', () => {
  it('denies the role any change to responders, break-glass and itself, whatever a plan says', async () => {
    const resolve = createRequire(import.meta.url)('../../deploy/config.cjs') as () => Promise<{
      guardedIamArns: string[];
    }>;
    const template = parse(readFileSync('serverless.yml', 'utf8'));
    const deny = statements({ Resources: template.resources.Resources }, 'TourniquetRole', 'guard');
    expect(deny.map((s) => (s as unknown as { Effect: string }).Effect)).toEqual(['Deny', 'Deny']);
    expect(actionsOf(deny)).toEqual(
      [
        'iam:AttachRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:DeleteUserPolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePolicy',
        'iam:PutUserPolicy',
        'iam:UpdateAccessKey',
        'iam:UpdateServiceSpecificCredential',
      ].sort(),
    );
    expect((await resolve()).guardedIamArns).toEqual([
      'arn:aws:iam::111122223333:role/ir-responder',
      'arn:aws:iam::111122223333:role/*/ir-responder',
      'arn:aws:iam::111122223333:user/breakglass',
      'arn:aws:iam::111122223333:user/*/breakglass',
    ]);
  });
});

describe('EventBridge rules routed by type', () => {
  const resolve = createRequire(import.meta.url)('../../deploy/config.cjs') as () => Promise<{
    minSeverity: number;
    typeRoutedFindingTypes: (string | { wildcard: string })[];
  }>;

  it('let through every GuardDuty type whose playbook threshold is its own, below minSeverity', async () => {
    const own = awsPack.playbooks
      .filter((p) => p.minSeverity !== undefined && p.sources.includes('guardduty'))
      .flatMap((p) => p.types);
    expect((await resolve()).typeRoutedFindingTypes).toEqual([...own].sort());
  });

  it('add the types minSeverityByType lowers, patterns as EventBridge wildcards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tourniquet-rules-'));
    const example = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8'));
    const file = join(dir, 'tourniquet.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...example,
        minSeverityByType: { 'Discovery:S3/*': 4, 'Impact:S3/MaliciousIPCaller': 9 },
      }),
    );
    const previous = process.env.TOURNIQUET_CONFIG_FILE;
    process.env.TOURNIQUET_CONFIG_FILE = file;
    try {
      const types = (await resolve()).typeRoutedFindingTypes;
      expect(types).toContainEqual({ wildcard: 'Discovery:S3/*' });
      // A threshold above minSeverity needs no rule of its own: the severity rule delivers it.
      expect(types).not.toContain('Impact:S3/MaliciousIPCaller');
    } finally {
      if (previous === undefined) delete process.env.TOURNIQUET_CONFIG_FILE;
      else process.env.TOURNIQUET_CONFIG_FILE = previous;
    }
  });
});
