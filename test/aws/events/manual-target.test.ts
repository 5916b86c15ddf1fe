import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/decide.ts';
import type { ManualTarget } from '../../../core/manual-command.ts';
import { parseAwsTarget } from '../../../functions-aws/events/index.ts';
import { PACKS } from '../../../packs/index.ts';
import { ACCOUNT, awsConfig } from '../../support/config.ts';
import { alertsOf, bucket, object } from './fixtures.ts';

const meta = { incidentId: 'IR-2026-0042', now: new Date('2026-11-25T12:00:00.000Z') };
const target = (t: Partial<ManualTarget>): ManualTarget => ({
  stores: [],
  objects: [],
  accessKeyIds: [],
  ...t,
});

describe('parseAwsTarget', () => {
  it('turns a role, buckets and objects into one Manual alert keyed by the incident id', () => {
    const parsed = parseAwsTarget(
      target({
        principal: `arn:aws:iam::${ACCOUNT}:role/ml/llm-finetune-role`,
        stores: ['models-prod', 'arn:aws:s3:::training-data'],
        objects: ['s3://models-prod/weights/model-00001-of-00004.safetensors'],
      }),
      meta,
    );
    expect(alertsOf(parsed)).toEqual([
      {
        id: 'IR-2026-0042',
        dedupeKey: 'aws:manual:IR-2026-0042',
        cloud: 'aws',
        source: 'manual',
        type: 'Manual',
        severity: 10,
        observedAt: '2026-11-25T12:00:00.000Z',
        account: ACCOUNT,
        principal: {
          id: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
          kind: 'role',
          account: ACCOUNT,
          name: 'llm-finetune-role',
          aliases: [],
          certain: true,
        },
        resources: [
          bucket('models-prod'),
          bucket('training-data'),
          object('models-prod', 'weights/model-00001-of-00004.safetensors'),
        ],
        sample: false,
        context: {},
      },
    ]);
  });

  it('resolves a session ARN to its role and keeps the session as an alias', () => {
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/llm-finetune-role/botocore-session-1`;
    const [alert] = alertsOf(parseAwsTarget(target({ principal: session }), meta));
    expect(alert?.principal).toMatchObject({
      id: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
      aliases: [{ type: 'session-arn', value: session }],
      certain: true,
    });
  });

  it('gives access keys their user as parent, so the planner deactivates exactly those', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/ml-pipeline`;
    const [alert] = alertsOf(
      parseAwsTarget(target({ principal: user, accessKeyIds: ['AKIAEXAMPLEPIPELINE1'] }), meta),
    );
    expect(alert?.resources).toEqual([{ kind: 'access-key', id: 'AKIAEXAMPLEPIPELINE1', parent: user }]);
    const d = decide(alert as NonNullable<typeof alert>, awsConfig(), {
      packs: PACKS,
      now: meta.now,
      manual: { incidentId: meta.incidentId },
    });
    expect(d.actions.filter((a) => a.kind === 'deactivate-access-keys').map((a) => a.params)).toEqual([
      { userName: 'ml-pipeline', accessKeyIds: ['AKIAEXAMPLEPIPELINE1'], allKeys: false },
    ]);
  });

  it.each([
    ['no principal', target({ stores: ['models-prod'] }), /needs "principal"/],
    ['a principal in aws-cn', target({ principal: `arn:aws-cn:iam::${ACCOUNT}:role/x` }), /aws-cn/],
    [
      'a principal that is no IAM ARN',
      target({ principal: 'llm-finetune-role' }),
      /not an IAM user, role or root ARN/,
    ],
    [
      'an invalid bucket',
      target({ principal: `arn:aws:iam::${ACCOUNT}:role/x`, stores: ['Models_Prod'] }),
      /stores entry/,
    ],
    [
      'an object that is no s3:// URI',
      target({ principal: `arn:aws:iam::${ACCOUNT}:role/x`, objects: ['models-prod/w'] }),
      /objects entry/,
    ],
    [
      'access keys of a role',
      target({ principal: `arn:aws:iam::${ACCOUNT}:role/x`, accessKeyIds: ['AKIAEXAMPLEPIPELINE1'] }),
      /need an IAM user principal/,
    ],
  ])('rejects a target with %s', (_name, t, reason) => {
    expect(parseAwsTarget(t, meta)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});
