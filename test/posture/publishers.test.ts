import { readFileSync } from 'node:fs';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityFinding } from '../../core/findings/finding.ts';
import { evaluatePosture } from '../../core/posture/evaluate.ts';
import { postureFindings } from '../../core/posture/posture-findings.ts';
import { securityHubPublisher } from '../../functions-aws/posture/security-hub-publisher.ts';
import {
  eventGridPublisher,
  POSTURE_EVENT_TYPES,
} from '../../functions-azure/posture/event-grid-publisher.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import { awsSnapshot, ENI, TRAIL } from './support/aws-snapshot.ts';

const ajv = new Ajv2020({ strict: true, strictRequired: false });
const asff = ajv.compile(JSON.parse(readFileSync('schema/findings/asff-finding.schema.json', 'utf8')));
const ocsf = ajv.compile(JSON.parse(readFileSync('schema/findings/ocsf-finding.schema.json', 'utf8')));

/** Real findings: the AWS checks on an account whose trail stopped and whose logs go nowhere. */
function findings(): SecurityFinding[] {
  const s = awsSnapshot();
  (s.aws?.['cloudtrail:GetTrailStatus'] as Record<string, unknown>)[TRAIL] = { IsLogging: false };
  const report = evaluatePosture(awsPostureChecks, s, awsConfig({ detect: { inferenceEndpoints: [ENI] } }));
  return postureFindings(report, undefined, () => undefined);
}

let hub: ReturnType<typeof mockClient>;
afterEach(() => hub?.restore());

describe('securityHubPublisher', () => {
  it('imports ASFF the schema accepts, 100 per call, and reports what Security Hub refused', async () => {
    hub = mockClient(SecurityHubClient);
    const many = Array.from({ length: 3 }, (_, k) =>
      findings().map((f) => ({ ...f, id: `${f.id}/${k}` })),
    ).flat();
    const extra = Array.from({ length: 101 - (many.length % 101) }, (_, i) => ({
      ...(many[0] as SecurityFinding),
      id: `pad-${i}`,
    }));
    const all = [...many, ...extra];
    hub.on(BatchImportFindingsCommand).callsFake(async ({ Findings }: { Findings: { Id: string }[] }) => ({
      SuccessCount: Findings.length - 1,
      FailedCount: 1,
      FailedFindings: [
        { Id: Findings[0]?.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' },
      ],
    }));
    const out = await securityHubPublisher(new SecurityHubClient({ region: 'us-east-1' }), {
      importAccount: ACCOUNT,
      region: 'us-east-1',
    })(all);
    const calls = hub.commandCalls(BatchImportFindingsCommand);
    expect(calls.map((c) => c.args[0].input.Findings?.length)).toEqual([100, all.length - 100]);
    for (const c of calls)
      for (const f of c.args[0].input.Findings ?? []) expect(asff(f), ajv.errorsText(asff.errors)).toBe(true);
    expect(out.published).toBe(all.length - 2);
    expect(out.failed).toHaveLength(2);
    expect(out.failed[0]).toMatch(/: InvalidInput Finding does not adhere to ASFF$/);
  });

  it('reports a whole batch as failed when the call fails (Security Hub not enabled), without throwing', async () => {
    hub = mockClient(SecurityHubClient);
    hub.on(BatchImportFindingsCommand).rejects(
      Object.assign(new Error('Account is not subscribed to AWS Security Hub'), {
        name: 'InvalidAccessException',
      }),
    );
    const out = await securityHubPublisher(new SecurityHubClient({ region: 'us-east-1' }), {
      importAccount: ACCOUNT,
      region: 'us-east-1',
    })(findings());
    expect(out.published).toBe(0);
    expect(out.failed[0]).toMatch(/InvalidAccessException Account is not subscribed/);
  });
});

describe('eventGridPublisher', () => {
  it('posts Event Grid schema events with the finding and its OCSF form, with the Entra token', async () => {
    const posted: { url: string; init: RequestInit }[] = [];
    const fetchFake = (async (url: string, init: RequestInit) => {
      posted.push({ url, init });
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const topic = 'https://tourniquet-posture.westeurope-1.eventgrid.azure.net/api/events';
    const out = await eventGridPublisher({
      topicEndpoint: topic,
      token: async () => 'eg-token',
      productVersion: '0.1.0',
      fetch: fetchFake,
    })([...findings(), { ...(findings()[0] as SecurityFinding), state: 'resolved' }]);
    const n = findings().length;
    expect(n).toBeGreaterThan(1);
    expect(out).toEqual({ published: n + 1, failed: [] });
    expect(posted[0]?.url).toBe(topic);
    expect(new Headers(posted[0]?.init.headers).get('authorization')).toBe('Bearer eg-token');
    const events = JSON.parse(String(posted[0]?.init.body));
    expect(events.map((e: { eventType: string }) => e.eventType)).toEqual([
      ...Array(n).fill(POSTURE_EVENT_TYPES.failed),
      POSTURE_EVENT_TYPES.resolved,
    ]);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual([
        'data',
        'dataVersion',
        'eventTime',
        'eventType',
        'id',
        'subject',
      ]);
      expect(ocsf(e.data.ocsf), ajv.errorsText(ocsf.errors)).toBe(true);
    }
  });

  it('splits batches under the 1 MB request limit and reports refused batches', async () => {
    const sizes: number[] = [];
    const fetchFake = (async (_url: string, init: RequestInit) => {
      sizes.push(Buffer.byteLength(String(init.body)));
      return new Response('{"error":{"code":"Unauthorized"}}', { status: sizes.length === 1 ? 200 : 401 });
    }) as unknown as typeof fetch;
    const big = Array.from({ length: 40 }, (_, i) => ({
      ...(findings()[0] as SecurityFinding),
      id: `f${i}`,
      description: 'x'.repeat(30_000),
    }));
    const out = await eventGridPublisher({
      topicEndpoint: 'https://t.westeurope-1.eventgrid.azure.net/api/events',
      token: async () => 't',
      productVersion: '0.1.0',
      fetch: fetchFake,
    })(big);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(1_000_000);
    expect(out.published + out.failed.length).toBe(40);
    expect(out.failed[0]).toMatch(/HTTP 401/);
  });
});
