import { describe, expect, it } from 'vitest';
import type { PostureCheck } from '../../core/posture/check.ts';
import { collectSnapshot, readsOf } from '../../core/posture/collect.ts';
import { evaluatePosture } from '../../core/posture/evaluate.ts';
import { type PostureSnapshot, type Read, snapshotView } from '../../core/posture/snapshot.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import { awsSnapshot, ENI, LOG_BUCKET } from './support/aws-snapshot.ts';

const config = awsConfig({
  aws: { ...awsConfig().aws, logBuckets: [LOG_BUCKET] },
  detect: { inferenceEndpoints: [ENI, '10.20.1.15'] },
});
const scope = { aws: { account: ACCOUNT, regions: ['us-east-1'], stack: 'tourniquet-prod' } };

/** A cloud that answers from a recorded snapshot, and records what it was asked, in order. */
function recordedCloud(recorded: PostureSnapshot) {
  const asked: Read[] = [];
  const answers = recorded.aws ?? {};
  return {
    asked,
    perform: async (read: Read) => {
      asked.push(read);
      return answers[read.op]?.[read.key] ?? { $error: { code: 'NotRecorded', message: read.key } };
    },
  };
}

describe('collectSnapshot', () => {
  it('asks exactly for what the evaluation reads: collecting from the recorded cloud gives the same snapshot', async () => {
    const recorded = awsSnapshot();
    const cloud = recordedCloud(recorded);
    const live = await collectSnapshot(awsPostureChecks, cloud.perform, {
      cloud: 'aws',
      config,
      scope,
      now: new Date(recorded.takenAt),
    });
    expect(live).toEqual(recorded);
    expect(evaluatePosture(awsPostureChecks, live, config)).toEqual(
      evaluatePosture(awsPostureChecks, recorded, config),
    );
  });

  it('asks each read once, in rounds: the trail list before the trails', async () => {
    const cloud = recordedCloud(awsSnapshot());
    await collectSnapshot(awsPostureChecks, cloud.perform, { cloud: 'aws', config, scope, now: new Date() });
    const ids = cloud.asked.map((r) => `${r.op} ${r.key}`);
    expect(new Set(ids).size).toBe(ids.length);
    const at = (id: string) => ids.findIndex((x) => x.startsWith(id));
    expect(at('s3:GetBucketLocation models-prod')).toBeLessThan(at('cloudtrail:DescribeTrails us-east-1'));
    expect(at('cloudtrail:DescribeTrails')).toBeLessThan(at('cloudtrail:GetEventSelectors'));
    expect(cloud.asked.find((r) => r.op === 'cloudtrail:DescribeTrails' && r.key === 'eu-west-1')).toEqual({
      op: 'cloudtrail:DescribeTrails',
      key: 'eu-west-1',
      input: { includeShadowTrails: true },
      region: 'eu-west-1',
    });
  });

  it('keeps an error the cloud answered with, and the check says unknown', async () => {
    const cloud = recordedCloud({ ...awsSnapshot(), aws: {} });
    const live = await collectSnapshot(awsPostureChecks, cloud.perform, {
      cloud: 'aws',
      config,
      scope,
      now: new Date(),
    });
    expect(snapshotView(live, 'aws').answer('s3:GetBucketVersioning', 'models-prod')).toEqual({
      kind: 'error',
      code: 'NotRecorded',
      message: 'models-prod',
    });
    const report = evaluatePosture(awsPostureChecks, live, config);
    expect(report.summary.pass).toBe(0);
  });

  it.each(awsPostureChecks.map((c) => [c.id, c] as const))(
    '%s only reads the operations it declares',
    (_id, check: PostureCheck) => {
      const recorded = awsSnapshot();
      const ctx = { config, scope: recorded.scope, view: snapshotView(recorded, 'aws') };
      const ops = new Set(readsOf(check, ctx).map((r) => r.op));
      expect(ops.size).toBeGreaterThan(0);
      expect([...ops].filter((op) => !check.operations.includes(op))).toEqual([]);
    },
  );
});
