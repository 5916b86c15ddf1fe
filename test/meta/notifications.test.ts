/**
 * Escalations reach a human (serverless.yml with deploy/config.cjs): subscriptions from aws.notify,
 * the escalation rule retried and dead-lettered like every target, its message the lines of
 * core/escalation-message.ts, the dead-letter alarm on a topic of its own, and no topic on the AWS
 * managed key that EventBridge and CloudWatch cannot use.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { escalationMessage } from '../../core/escalation-message.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
let resources: Record<string, Resource>;

const BOUNDARY = 'arn:aws:iam::111122223333:policy/tourniquet-boundary';
const NOTIFY = {
  emails: ['oncall@acme-ai.example'],
  https: ['https://events.pagerduty.com/integration/0123456789abcdef/enqueue'],
  topicArns: ['arn:aws:sns:us-east-1:111122223333:soc-alerts'],
};

beforeAll(async () => {
  const example = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8'));
  const file = join(mkdtempSync(join(tmpdir(), 'tq-notify-')), 'tourniquet.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...example,
      aws: { ...example.aws, notify: NOTIFY, escalationBus: 'ir-escalations', permissionsBoundary: BOUNDARY },
    }),
  );
  process.env.TOURNIQUET_CONFIG_FILE = file;
  try {
    const values = await (
      createRequire(import.meta.url)('../../deploy/config.cjs') as () => Promise<Record<string, unknown>>
    )();
    // serverless resolves ${self:custom.config.X} to the value deploy/config.cjs gives X.
    const resolve = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const m = /^\$\{self:custom\.config\.(\w+)\}$/.exec(v);
        return m ? values[m[1] ?? ''] : v;
      }
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === 'object')
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      return v;
    };
    resources = resolve(
      parse(readFileSync('serverless.yml', 'utf8')).resources.Resources,
    ) as typeof resources;
  } finally {
    delete process.env.TOURNIQUET_CONFIG_FILE;
  }
});

const props = (name: string) => resources[name]?.Properties ?? {};

describe('escalations reach a human', () => {
  it('subscribes the e-mail and HTTPS endpoints of aws.notify to the humans and the alarm topics', () => {
    const expected = [
      { Protocol: 'email', Endpoint: 'oncall@acme-ai.example' },
      { Protocol: 'https', Endpoint: NOTIFY.https[0] },
    ];
    expect(props('HumansTopic').Subscription).toEqual(expected);
    expect(props('AlarmsTopic').Subscription).toEqual(expected);
  });

  it('sends escalations from the configured bus to the humans topic and every topic of aws.notify, retried and dead-lettered', () => {
    const targets = props('EscalationRule').Targets as Record<string, unknown>[];
    expect(props('EscalationRule').EventBusName).toBe('ir-escalations');
    expect(targets.map((t) => t.Arn)).toEqual([{ Ref: 'HumansTopic' }, NOTIFY.topicArns[0]]);
    for (const t of targets) {
      expect(t.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
      expect(t.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } });
    }
  });

  it('turns an escalation into the lines of its message, each a field the executors write', () => {
    const { InputTransformer } =
      (
        props('EscalationRule').Targets as {
          InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
        }[]
      )[0] ?? {};
    const message = escalationMessage({
      incidentId: 'i',
      account: '111122223333',
      params: { reason: 'r', resources: [], severity: 8, alertType: 't' },
      results: [],
    });
    const paths = Object.entries(InputTransformer?.InputPathsMap ?? {});
    for (const [name, path] of paths) {
      expect(path).toBe(`$.detail.message.${name}`);
      expect(Object.keys(message)).toContain(name);
    }
    expect(InputTransformer?.InputTemplate.split('\n')).toEqual(paths.map(([name]) => `<${name}>`));
  });

  it('lets the dead-letter queue take the escalation rule’s failures, on the default bus or its own', () => {
    const policy = props('DeadLetterQueuePolicy').PolicyDocument as {
      Statement: { Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::Sub': string }[] } } }[];
    };
    // serverless resolves its own variables first, CloudFormation the AWS:: ones.
    const stack = (text: string) =>
      text.replace(/\$\{self:service\}/g, 'tourniquet').replace(/\$\{sls:stage\}/g, 'prod');
    const patterns = policy.Statement[0]?.Condition.ArnLike['aws:SourceArn'].map(
      (p) =>
        new RegExp(
          `^${stack(p['Fn::Sub'])
            .replace(/\$\{AWS::\w+\}/g, 'X')
            .replace(/[.*]/g, (c) => (c === '*' ? '.*' : '\\.'))}$`,
        ),
    );
    const rule = stack(props('EscalationRule').Name as string);
    const arn = (bus: string) => `arn:X:events:X:X:rule/${bus}${rule}`;
    expect(patterns?.some((p) => p.test(arn('')))).toBe(true);
    expect(patterns?.some((p) => p.test(arn('ir-escalations/')))).toBe(true);
  });

  it('sends the dead-letter alarm to its own topic and the topics of aws.notify, never through the escalation topic', () => {
    expect(props('DeadLetterAlarm').AlarmActions).toEqual([{ Ref: 'AlarmsTopic' }, NOTIFY.topicArns[0]]);
  });

  it('encrypts the escalation topic with a key EventBridge may use; no topic uses alias/aws/sns', () => {
    expect(props('HumansTopic').KmsMasterKeyId).toEqual({ Ref: 'NotificationsKey' });
    const statements = (
      props('NotificationsKey').KeyPolicy as { Statement: { Principal: unknown; Action: unknown }[] }
    ).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    const topics = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Topic');
    expect(topics.map((t) => t.Properties.KmsMasterKeyId)).not.toContain('alias/aws/sns');
  });
});

describe('the function role', () => {
  it('takes aws.permissionsBoundary as its boundary (IAM cannot scope DeleteRolePolicy by name)', () => {
    expect(props('TourniquetRole').PermissionsBoundary).toBe(BOUNDARY);
  });
});
