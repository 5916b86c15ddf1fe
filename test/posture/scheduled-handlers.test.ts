import { InvocationContext, type Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { grantIndex } from '../../core/posture/grant-index.ts';
import type { ScheduledPostureDeps } from '../../core/posture/scheduled-run.ts';
import { createPostureHandler } from '../../functions-aws/handlers/posture.ts';
import { grantsTimer, postureTimer } from '../../functions-azure/functions/posture.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { PACKS } from '../../packs/index.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud } from '../support/fake-executors.ts';
import { awsSnapshot, ENI, LOG_BUCKET } from './support/aws-snapshot.ts';

const config = awsConfig({
  aws: { ...awsConfig().aws, logBuckets: [LOG_BUCKET] },
  detect: { inferenceEndpoints: [ENI] },
});

function deps(): ScheduledPostureDeps {
  const store = memoryStore();
  return {
    cloud: 'aws',
    config,
    checks: awsPostureChecks,
    collect: async () => awsSnapshot(),
    store,
    publish: async (f) => ({ published: f.length, failed: [] }),
    log: () => {},
    contain: { config, packs: PACKS, executors: fakeCloud().executors, journal: incidentJournal(store) },
    productVersion: '0.1.0',
  };
}
const lambdaContext = {
  awsRequestId: 'r',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:tourniquet-prod-posture',
  getRemainingTimeInMillis: () => 600_000,
};
const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: {} } as unknown as Timer;

describe('the scheduled handlers', () => {
  it('the AWS posture Lambda answers with the run summary', async () => {
    const answer = await createPostureHandler(async () => deps())({}, lambdaContext);
    expect(answer).toEqual({
      summary: { pass: 16, fail: 0, unknown: 0 },
      findings: 0,
      published: 0,
      publishFailures: [],
      escalated: 0,
      baseline: true,
    });
  });

  it('the Azure posture timer logs the same summary as one JSON line, and rethrows a failed run', async () => {
    const lines: unknown[][] = [];
    const context = new InvocationContext({
      invocationId: 'i1',
      logHandler: (_level, ...args) => lines.push(args),
    });
    await postureTimer(async () => deps())(timer, context);
    const line = JSON.parse(String(lines.at(-1)?.[0]));
    expect(line).toMatchObject({
      level: 'info',
      msg: 'posture run',
      invocationId: 'i1',
      summary: { pass: 16, fail: 0, unknown: 0 },
      baseline: true,
    });
    await expect(
      postureTimer(async () => ({
        ...deps(),
        collect: async () => {
          throw new Error('ARM unreachable');
        },
      }))(timer, context),
    ).rejects.toThrow('ARM unreachable');
  });

  it('the Azure grant timer takes back a due grant and logs it', async () => {
    const d = deps();
    await grantIndex(d.store).add('azure-grant-x', '2026-03-02T08:00:00.000Z');
    const lines: unknown[][] = [];
    const context = new InvocationContext({
      invocationId: 'i2',
      logHandler: (_level, ...args) => lines.push(args),
    });
    await grantsTimer(async () => ({ store: d.store, contain: d.contain }))(timer, context);
    // No journal for that grant: it is reported, and tried again on the next run.
    expect(JSON.parse(String(lines[0]?.[0]))).toMatchObject({
      level: 'error',
      msg: 'grant not taken back',
      incidentId: 'azure-grant-x',
    });
    expect(await grantIndex(d.store).due(new Date())).toEqual(['azure-grant-x']);
  });
});
