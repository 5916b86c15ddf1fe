/**
 * The 2026 AWS alert sources (fixtures: test/fixtures/aws/events/README.md): GuardDuty AI
 * Protection (`findings-ai-protection`: resource type AccessKey, `resource.modelDetails`,
 * `resource.bedrockGuardrailDetails`), GuardDuty attack sequences (`service.detection.sequence`,
 * GuardDuty API Reference `Sequence`, `Actor`, `ResourceV2`), Security Hub v2 `Findings Imported V2`
 * (OCSF), the IAM persistence calls and the Bedrock management calls CloudTrail records.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/decide.ts';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { PACKS } from '../../../packs/index.ts';
import { ACCOUNT, awsConfig } from '../../support/config.ts';
import { alertsOf, bucket, fixture, type Mutable, object, roleSession, userWithKey } from './fixtures.ts';

const now = new Date('2026-11-28T12:00:00.000Z');
const only = (e: Mutable) => {
  const alerts = alertsOf(parseAwsEvent(e));
  expect(alerts).toHaveLength(1);
  return alerts[0] as NonNullable<(typeof alerts)[0]>;
};
const gdKey = (id: string) => `aws:guardduty:${ACCOUNT}:us-east-1:${id}`;

describe('GuardDuty AI Protection findings', () => {
  it('name the models invoked as `model` resources (foundation model ids become their ARN)', () => {
    const alert = only(fixture('events', 'guardduty-ai-anomalous-model-invocation.json'));
    expect(alert).toEqual({
      id: 'b1c2d3e4f5a64b7c8d9e0f1a2b3c4d5e',
      dedupeKey: gdKey('b1c2d3e4f5a64b7c8d9e0f1a2b3c4d5e'),
      actor: {
        id: `arn:aws:sts::${ACCOUNT}:assumed-role/rag-dev-role/dev-carol`,
        kind: 'session',
        session: 'AROAEXAMPLERAGDEV001:dev-carol',
      },
      cloud: 'aws',
      source: 'guardduty',
      type: 'Impact:IAMUser/AnomalousModelInvocation',
      severity: 2,
      observedAt: '2026-11-26T09:10:12.000Z',
      account: ACCOUNT,
      region: 'us-east-1',
      principal: roleSession('rag-dev-role', 'dev-carol', 'AROAEXAMPLERAGDEV001', 'ASIAEXAMPLERAGDEV001'),
      resources: [
        {
          kind: 'model',
          id: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0',
        },
        {
          kind: 'model',
          id: `arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/ab12cd34ef56`,
        },
      ],
      sample: false,
      title: 'Unusual model invocations by rag-dev-role.',
      context: {
        resourceType: 'AccessKey',
        models: [
          'anthropic.claude-3-5-sonnet-20240620-v1:0',
          `arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/ab12cd34ef56`,
        ],
      },
    });
  });

  it('keep the guardrail that intervened on a prompt injection', () => {
    const alert = only(fixture('events', 'guardduty-ai-prompt-injection.json'));
    expect(alert.context).toEqual({
      resourceType: 'AccessKey',
      guardrail: {
        arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/k3mpl8gr4il1`,
        version: '3',
        action: 'GUARDRAIL_INTERVENED',
        source: 'INPUT',
      },
    });
  });

  it('keep a model id that names nothing deniable in the context only', () => {
    const e = fixture('events', 'guardduty-ai-cost-harvesting.json');
    e.detail.resource.modelDetails = [{ modelId: 'my-endpoint' }];
    const alert = only(e);
    expect([alert.resources, alert.context.models]).toEqual([[], ['my-endpoint']]);
    expect(alert.principal).toEqual(userWithKey('ci-bot', 'AIDAEXAMPLECIBOT0001', 'AKIAEXAMPLECIBOT0001'));
  });

  it('reject a model ARN from another partition', () => {
    const e = fixture('events', 'guardduty-ai-cost-harvesting.json');
    e.detail.resource.modelDetails = [{ modelId: 'arn:aws-cn:bedrock:cn-north-1::foundation-model/x.y' }];
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(/aws-cn partition/) });
  });

  it.each([
    ['at its default Low severity, by the playbook threshold of 1', {}, 'contain', 'severity 2 ≥ 1'],
    [
      'below a threshold raised in minSeverityByType',
      { minSeverityByType: { 'Impact:IAMUser/AnomalousModelInvocation': 5 } },
      'ignore',
      'severity 2 is below minSeverityByType 5 for Impact:IAMUser/AnomalousModelInvocation',
    ],
    [
      'by the most specific pattern in minSeverityByType',
      { minSeverityByType: { 'Impact:*': 1, 'Impact:IAMUser/*': 4 } },
      'ignore',
      'severity 2 is below minSeverityByType 4 for Impact:IAMUser/AnomalousModelInvocation',
    ],
  ])('are routed by type: acted on %s', (_name, overrides, decision, reason) => {
    const alert = only(fixture('events', 'guardduty-ai-anomalous-model-invocation.json'));
    const d = decide(alert, awsConfig(overrides), { packs: PACKS, now });
    expect(d.decision).toBe(decision);
    expect(d.reason).toContain(reason);
  });

  it('cut one session of the role off, and say what stays open', () => {
    const alert = only(fixture('events', 'guardduty-ai-anomalous-model-invocation.json'));
    const d = decide(alert, awsConfig(), { packs: PACKS, now });
    expect(d.actions[0]).toMatchObject({
      kind: 'deny-inference',
      params: {
        principalType: 'role',
        principalName: 'rag-dev-role',
        session: 'AROAEXAMPLERAGDEV001:dev-carol',
        policyDocument: {
          Statement: [{ Condition: { StringEquals: { 'aws:userid': 'AROAEXAMPLERAGDEV001:dev-carol' } } }],
        },
      },
    });
    expect(d.actions[1]?.params).toMatchObject({
      reason: expect.stringContaining('inference denied to session dev-carol of role rag-dev-role only'),
    });
  });

  it('leave the serving fleet (detect.knownCallers) to humans', () => {
    const alert = only(fixture('events', 'guardduty-ai-anomalous-model-invocation.json'));
    const config = awsConfig({ detect: { knownCallers: [`arn:aws:iam::${ACCOUNT}:role/rag-dev-role`] } });
    const d = decide(alert, config, { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
    expect(d.reason).toMatch(/detect.knownCallers \(the serving fleet\): humans judge/);
  });

  it('are not sent to the credential-compromise row (which would revoke the whole role)', () => {
    const alert = only(fixture('events', 'guardduty-ai-anomalous-model-invocation.json'));
    const d = decide({ ...alert, severity: 8 }, awsConfig(), { packs: PACKS, now });
    expect([d.playbook, d.actions.some((a) => a.kind === 'revoke-role-sessions')]).toEqual([
      'aws-ai-model-abuse',
      false,
    ]);
  });
});

describe('GuardDuty attack sequences', () => {
  const first = () => fixture('events', 'guardduty-attack-sequence-s3.json');
  const grown = () => fixture('events', 'guardduty-attack-sequence-s3-grown.json');
  const FINDING = 'f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6';

  it('name the whole set: actors, buckets and objects; the dedupe key holds updatedAt', () => {
    const alert = only(grown());
    expect(alert).toMatchObject({
      id: FINDING,
      dedupeKey: `${gdKey(FINDING)}@2026-11-27T03:45:21.000Z`,
      series: { key: gdKey(FINDING), version: '2026-11-27T03:45:21.000Z' },
      type: 'AttackSequence:S3/CompromisedData',
      severity: 9.6,
      observedAt: '2026-11-27T03:45:21.000Z',
      principal: {
        id: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
        kind: 'role',
        certain: true,
        aliases: [
          { type: 'principal-id', value: 'AROAEXAMPLEFINETUNE1:botocore-session-1764205100' },
          { type: 'access-key-id', value: 'ASIAEXAMPLEFINETUNE2' },
        ],
      },
      actors: [{ id: `arn:aws:iam::${ACCOUNT}:user/dev-alice`, kind: 'user', certain: true }],
      resources: [
        bucket('models-prod'),
        object('models-prod', 'weights/model-00001.safetensors'),
        bucket('training-data'),
      ],
      context: {
        sequence: 'seq-7f3a9c21',
        signals: 4,
        signalNames: ['Discovery:S3/AnomalousBehavior', 'GetObject', 'PutBucketPolicy'],
        endpoints: ['198.51.100.77'],
      },
    });
  });

  it('are one incident per update: a redelivery keeps the key, an update changes it', () => {
    const [a, b, c] = [first(), first(), grown()].map((e) => only(e).dedupeKey);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('resolve an actor without a session issuer by name only when it acted in the finding’s account', () => {
    const e = grown();
    e.detail.service.detection.sequence.actors[1].user.account.uid = '999988887777';
    expect(only(e).actors).toEqual([
      expect.objectContaining({ id: 'arn:aws:iam::999988887777:user/dev-alice', certain: false }),
    ]);
  });

  it('never resolve an assumed role without its issuer', () => {
    const e = first();
    delete e.detail.service.detection.sequence.actors[0].session;
    expect(only(e).principal).toEqual({
      id: 'AROAEXAMPLEFINETUNE1:botocore-session-1764205100',
      kind: 'unknown',
      account: ACCOUNT,
      aliases: [
        { type: 'principal-id', value: 'AROAEXAMPLEFINETUNE1:botocore-session-1764205100' },
        { type: 'access-key-id', value: 'ASIAEXAMPLEFINETUNE2' },
      ],
      accessKeyId: 'ASIAEXAMPLEFINETUNE2',
      certain: false,
    });
  });

  it('take an access key of an IAM user as a resource owned by that user', () => {
    const alert = only(fixture('events', 'guardduty-attack-sequence-iam.json'));
    expect(alert.resources).toEqual([
      { kind: 'access-key', id: 'AKIAEXAMPLEALICE0001', parent: `arn:aws:iam::${ACCOUNT}:user/dev-alice` },
    ]);
  });

  it('count resources of other types without acting on them', () => {
    const e = first();
    e.detail.service.detection.sequence.resources.push({
      uid: 'i-0abc1234def567890',
      resourceType: 'EC2_INSTANCE',
    });
    expect(only(e).context.otherResources).toEqual(['EC2_INSTANCE']);
  });

  it.each([
    [
      'a sequence without updatedAt',
      (e: Mutable) => delete e.detail.updatedAt,
      /cannot be told apart from its updates/,
    ],
    [
      'an issuer from another partition',
      (e: Mutable) => {
        e.detail.service.detection.sequence.actors[0].session.issuer =
          'arn:aws-us-gov:iam::111122223333:role/x';
      },
      /aws-us-gov partition/,
    ],
    [
      'a resource in another partition',
      (e: Mutable) => {
        e.detail.service.detection.sequence.resources[0].cloudPartition = 'aws-cn';
      },
      /cloudPartition is "aws-cn"/,
    ],
    [
      'more than 400 actors',
      (e: Mutable) => {
        const a = e.detail.service.detection.sequence.actors[0];
        e.detail.service.detection.sequence.actors = Array.from({ length: 401 }, () => a);
      },
      /actors.*(too big|at most 400|<=400)/i,
    ],
    [
      'no signal',
      (e: Mutable) => {
        e.detail.service.detection.sequence.signals = [];
      },
      /signals/,
    ],
    [
      'a bucket name that is no bucket name',
      (e: Mutable) => {
        e.detail.service.detection.sequence.resources[0].uid = 'arn:aws:s3:::models-prod"}*';
      },
      /is not a valid S3 bucket name/,
    ],
    [
      'a string for the actors',
      (e: Mutable) => {
        e.detail.service.detection.sequence.actors = 'everyone';
      },
      /malformed detail/,
    ],
  ])('reject %s', (_name, mutate, reason) => {
    const e = first();
    mutate(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });

  it('ignore sample sequences with placeholder values, and sequences of compute', () => {
    expect(parseAwsEvent(fixture('events', 'guardduty-attack-sequence-sample.json'))).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/^sample finding/),
    });
    const e = first();
    e.detail.type = 'AttackSequence:EKS/CompromisedCluster';
    expect(parseAwsEvent(e)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/not this one/),
    });
  });

  it('ignore GuardDuty’s Security Hub copy of a sequence: the GuardDuty delivery is the one acted on', () => {
    const e = fixture('events', 'securityhub-findings.json');
    e.detail.findings = [e.detail.findings[0]];
    e.detail.findings[0].Types = ['TTPs/AttackSequence:S3/CompromisedData'];
    expect(parseAwsEvent(e)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/copy of an attack sequence/),
    });
  });
});

describe('Security Hub v2 (OCSF)', () => {
  it('gives GuardDuty’s copy the GuardDuty finding’s own key and type: one incident for every delivery', () => {
    const v2 = only(fixture('events', 'securityhub-v2-guardduty.json'));
    const gd = only(fixture('events', 'guardduty-s3-exfiltration-assumed-role.json'));
    expect([v2.dedupeKey, v2.type, v2.principal?.id, v2.resources]).toEqual([
      gd.dedupeKey,
      gd.type,
      gd.principal?.id,
      gd.resources,
    ]);
    expect(v2).toMatchObject({ source: 'securityhub', severity: 7, context: { format: 'ocsf' } });
  });

  it('does not trust the actor a custom product names', () => {
    const alert = only(fixture('events', 'securityhub-v2-custom-product.json'));
    expect(alert).toMatchObject({
      dedupeKey: `aws:securityhub:${ACCOUNT}:us-east-1:exampledlp-20261125-0042`,
      type: 'Data Exfiltration',
      severity: 9,
      principal: { id: `arn:aws:iam::${ACCOUNT}:role/data-export-role`, certain: false },
      context: { untrustedProduct: true },
    });
  });

  it.each([
    ['Resolved', /is Resolved/],
    ['Suppressed', /is Suppressed/],
  ])('skips a %s finding', (status, reason) => {
    const e = fixture('events', 'securityhub-v2-guardduty.json');
    e.detail.findings[0].status = status;
    expect(parseAwsEvent(e)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });

  it('rejects a GuardDuty copy whose uid is not a GuardDuty finding ARN, and a foreign provider', () => {
    const e = fixture('events', 'securityhub-v2-guardduty.json');
    e.detail.findings[0].finding_info.uid = 'not-an-arn';
    expect(parseAwsEvent(e)).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/not a GuardDuty finding ARN/),
    });
    const azure = fixture('events', 'securityhub-v2-custom-product.json');
    azure.detail.findings[0].cloud.provider = 'Azure';
    expect(parseAwsEvent(azure)).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/not an AWS finding/),
    });
  });

  it('is only accepted from aws.securityhub', () => {
    const e = fixture('events', 'securityhub-v2-guardduty.json');
    e.source = 'custom.securityhub';
    expect(parseAwsEvent(e)).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/not from AWS/),
    });
  });
});

describe('Tourniquet’s own published findings coming back', () => {
  it.each(['securityhub-own-finding.json', 'securityhub-v2-own-finding.json'])(
    'are never acted on (%s)',
    (name) => {
      expect(parseAwsEvent(fixture('events', name))).toEqual({
        kind: 'ignored',
        reason: expect.stringMatching(/is Tourniquet's own, published by it: never acted on/),
      });
    },
  );

  it('are told apart from another product imported under the same default product', () => {
    const e = fixture('events', 'securityhub-own-finding.json');
    e.detail.findings[0].ProductName = 'ExampleDLP';
    e.detail.findings[0].GeneratorId = 'exampledlp/rule-7';
    expect(parseAwsEvent(e).kind).toBe('alerts');
  });
});

describe('CloudTrail: IAM persistence and Bedrock management calls', () => {
  it.each([
    [
      'cloudtrail-update-assume-role-policy-backdoor.json',
      'iam:UpdateAssumeRolePolicy',
      8,
      { target: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`, trustExposure: 'cross-account' },
    ],
    [
      'cloudtrail-create-login-profile-other-user.json',
      'iam:CreateLoginProfile',
      7,
      { selfService: false, target: `arn:aws:iam::${ACCOUNT}:user/ml-pipeline`, consoleAccess: 'added' },
    ],
    [
      'cloudtrail-update-login-profile-self.json',
      'iam:UpdateLoginProfile',
      3,
      { selfService: true, target: `arn:aws:iam::${ACCOUNT}:user/dev-alice`, consoleAccess: 'changed' },
    ],
    [
      'cloudtrail-bedrock-delete-guardrail.json',
      'bedrock:DeleteGuardrail',
      7,
      { guardrail: 'k3mpl8gr4il1', guardrailChange: 'deleted' },
    ],
    [
      'cloudtrail-bedrock-update-guardrail-weakened.json',
      'bedrock:UpdateGuardrail',
      7,
      {
        guardrail: 'k3mpl8gr4il1',
        guardrailChange: 'weakened',
        weakened: 'content filters PROMPT_ATTACK set to NONE or LOW',
      },
    ],
    [
      'cloudtrail-bedrock-delete-invocation-logging.json',
      'bedrock:DeleteModelInvocationLoggingConfiguration',
      7,
      { logging: 'disabled' },
    ],
    [
      'cloudtrail-bedrock-put-invocation-logging.json',
      'bedrock:PutModelInvocationLoggingConfiguration',
      2,
      { logging: 'configured' },
    ],
    [
      'cloudtrail-bedrock-update-data-source.json',
      'bedrock:UpdateDataSource',
      7,
      { knowledgeSource: 'docs-upload-scratch', knowledgeBase: 'KBEXAMPLE01' },
    ],
    [
      'cloudtrail-bedrock-create-customization-job.json',
      'bedrock:CreateModelCustomizationJob',
      7,
      { trainingSource: 'training-data' },
    ],
  ])('%s → %s, severity %d, the facts the playbook weighs', (name, type, severity, context) => {
    const alert = only(fixture('events', name));
    expect([alert.type, alert.severity, alert.context]).toEqual([type, severity, context]);
  });

  it.each([
    [
      'a trust policy trusting only a service',
      [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      'none',
      3,
    ],
    [
      'a trust policy trusting anyone',
      [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
      'public',
      9,
    ],
    [
      'anyone, pinned to the own organization',
      [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg' } },
        },
      ],
      'none',
      3,
    ],
  ])('judges %s', (_name, statements, exposure, severity) => {
    const e = fixture('events', 'cloudtrail-update-assume-role-policy-backdoor.json');
    e.detail.requestParameters.policyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: statements,
    });
    const alert = only(e);
    expect([alert.context.trustExposure, alert.severity]).toEqual([exposure, severity]);
  });

  it('sees an update that leaves no policy in the guardrail as weakened, and one that keeps them as a change', () => {
    const e = fixture('events', 'cloudtrail-bedrock-update-guardrail-weakened.json');
    delete e.detail.requestParameters.contentPolicyConfig;
    expect(only(e).context.weakened).toBe('no policy left in the guardrail');
    e.detail.requestParameters.contentPolicyConfig = {
      filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }],
    };
    e.detail.requestParameters.contentPolicyConfig.filtersConfig[0].outputStrength = 'MEDIUM';
    expect(only(e).context.guardrailChange).toBe('changed');
  });

  it('revokes who weakened a guardrail once aws.knownIdentities says who is expected to', () => {
    const alert = only(fixture('events', 'cloudtrail-bedrock-update-guardrail-weakened.json'));
    const pipeline = `arn:aws:iam::${ACCOUNT}:role/platform-terraform`;
    const d = decide(alert, awsConfig({ aws: { ...awsConfig().aws, knownIdentities: [pipeline] } }), {
      packs: PACKS,
      now,
    });
    expect(d.actions.map((a) => [a.kind, a.target])).toEqual([
      ['revoke-role-sessions', `arn:aws:iam::${ACCOUNT}:role/ci-deploy-role`],
      ['escalate', `arn:aws:iam::${ACCOUNT}:role/ci-deploy-role`],
    ]);
    const known = decide(
      alert,
      awsConfig({
        aws: { ...awsConfig().aws, knownIdentities: [`arn:aws:iam::${ACCOUNT}:role/ci-deploy-role`] },
      }),
      {
        packs: PACKS,
        now,
      },
    );
    expect(known.reason).toBe(
      `not a threat by itself: a known identity (arn:aws:iam::${ACCOUNT}:role/ci-deploy-role)`,
    );
  });

  it('ignores Bedrock calls from another source and calls it does not handle', () => {
    const e = fixture('events', 'cloudtrail-bedrock-delete-guardrail.json');
    e.detail.eventName = 'ListGuardrails';
    expect(parseAwsEvent(e)).toMatchObject({ kind: 'ignored' });
    const forged = fixture('events', 'cloudtrail-bedrock-delete-guardrail.json');
    forged.detail.eventSource = 's3.amazonaws.com';
    expect(parseAwsEvent(forged)).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/does not match the event source "aws.bedrock"/),
    });
  });
});
