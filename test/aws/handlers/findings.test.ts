/**
 * Incident findings off the event path: the contain, manual and scan functions hand each finding
 * over as one `Tourniquet Incident Finding` event on the default bus (functions-aws/finding-handover.ts);
 * the findings function imports it into Security Hub (handlers/findings.ts). Exact PutEvents and
 * Security Hub inputs; a malformed or foreign handover imports nothing.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAsff } from '../../../core/findings/asff.ts';
import type { SecurityFinding } from '../../../core/findings/finding.ts';
import {
  eventBridgeFindingHandover,
  type FindingHandover,
  MAX_HANDOVER_BYTES,
} from '../../../functions-aws/finding-handover.ts';
import { containHandler } from '../../../functions-aws/handlers/contain.ts';
import { findingsHandler } from '../../../functions-aws/handlers/findings.ts';
import { ACCOUNT, MEMBER } from '../../support/config.ts';
import { context, event, lambdaWorld } from './world.ts';

const TARGET = { importAccount: ACCOUNT, region: 'us-east-1' };
const findingsContext = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:tourniquet-prod-findings`,
};
/** The documented shape (docs/aws-events.md), as EventBridge delivers it. */
const documented = () =>
  JSON.parse(readFileSync('examples/events/tourniquet-incident-finding.json', 'utf8')) as {
    account: string;
    source: string;
    'detail-type': string;
    detail: FindingHandover & { [k: string]: unknown };
  };

let securityHub: ReturnType<typeof mockClient>;
beforeEach(() => {
  securityHub = mockClient(SecurityHubClient);
  securityHub
    .on(BatchImportFindingsCommand)
    .resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
  securityHub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
  process.env.TOURNIQUET_HOME_ACCOUNT = ACCOUNT;
  process.env.AWS_REGION = 'us-east-1';
});
afterEach(() => {
  securityHub.restore();
  delete process.env.TOURNIQUET_FINDINGS;
  delete process.env.TOURNIQUET_HOME_ACCOUNT;
});

describe('the handover (event path)', () => {
  it('puts exactly one Tourniquet Incident Finding on the default bus, the finding as the sink got it', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    try {
      const finding = documented().detail.finding;
      await eventBridgeFindingHandover(new EventBridgeClient({ region: 'us-east-1' }))(finding, true);
      expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
        {
          Entries: [
            {
              EventBusName: 'default',
              Source: 'tourniquet',
              DetailType: 'Tourniquet Incident Finding',
              Detail: JSON.stringify({ version: 1, first: true, finding }),
            },
          ],
        },
      ]);
    } finally {
      eventBridge.restore();
    }
  });

  it('throws when EventBridge refuses the entry (the publisher reports the finding unpublished)', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    try {
      await expect(
        eventBridgeFindingHandover(new EventBridgeClient({ region: 'us-east-1' }))(
          documented().detail.finding,
          false,
        ),
      ).rejects.toThrow(/ThrottlingException Rate exceeded/);
    } finally {
      eventBridge.restore();
    }
  });

  it('hands a large incident over whole, and one beyond EventBridge’s limit cut to what Security Hub keeps', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const base = documented().detail.finding;
    const buckets = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ kind: 'bucket' as const, id: `arn:aws:s3:::assets-${i}` }));
    const actions = (n: number) =>
      Array.from({ length: n }, (_, i) => `copy-evidence arn:aws:s3:::assets-${i}: applied`).join('; ');
    // 40 buckets, a 2 KB+ action summary: beyond ASFF's limits, within EventBridge's.
    const large: SecurityFinding = {
      ...base,
      resources: buckets(40),
      properties: { ...base.properties, 'tourniquet/actions': actions(40) },
    };
    const huge: SecurityFinding = {
      ...base,
      resources: buckets(3000),
      properties: { ...base.properties, 'tourniquet/actions': actions(3000) },
    };
    try {
      const handOver = eventBridgeFindingHandover(new EventBridgeClient({ region: 'us-east-1' }));
      await handOver(large, false);
      await handOver(huge, false);
      const [whole, cut] = eventBridge
        .commandCalls(PutEventsCommand)
        .map((c) => JSON.parse(c.args[0].input.Entries?.[0]?.Detail ?? '{}') as FindingHandover);
      expect(whole?.finding).toEqual(large);
      expect(Buffer.byteLength(JSON.stringify(cut))).toBeLessThanOrEqual(MAX_HANDOVER_BYTES);
      expect(cut?.finding.resources).toEqual(buckets(32));
      expect(cut?.finding.properties['tourniquet/actions']).toHaveLength(2048);
      expect(cut?.finding.properties['tourniquet/actions']?.endsWith('…')).toBe(true);
      // Both are taken by the findings function and imported as toAsff makes them.
      for (const detail of [whole, cut] as FindingHandover[]) {
        securityHub.resetHistory();
        expect(await findingsHandler({ ...documented(), detail }, findingsContext)).toMatchObject({
          status: 'imported',
        });
        expect(securityHub.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input).toEqual({
          Findings: [toAsff(detail.finding, TARGET)],
        });
      }
    } finally {
      eventBridge.restore();
    }
  });

  it('contain hands the finding over and never calls Security Hub; the findings function imports what it handed over', async () => {
    const world = lambdaWorld();
    process.env.TOURNIQUET_FINDINGS = 'securityhub';
    try {
      const [result] = await containHandler(
        event('examples/events/guardduty-s3-exfiltration.json'),
        context as never,
      );
      expect(result).toMatchObject({ decision: 'contain', status: 'contained' });
      expect(securityHub.calls()).toEqual([]);
      const handovers = world.eventBridge
        .commandCalls(PutEventsCommand)
        .flatMap((c) => c.args[0].input.Entries ?? [])
        .filter((e) => e.DetailType === 'Tourniquet Incident Finding');
      expect(handovers).toHaveLength(1);
      const entry = handovers[0] as { Detail: string };
      const detail = JSON.parse(entry.Detail) as FindingHandover;
      expect(entry).toEqual({
        EventBusName: 'default',
        Source: 'tourniquet',
        DetailType: 'Tourniquet Incident Finding',
        Detail: JSON.stringify({ version: 1, first: true, finding: detail.finding }),
      });
      expect(detail.finding).toMatchObject({
        id: `tourniquet/incident/${result?.incidentId}`,
        kind: 'incident',
        cloud: 'aws',
        account: ACCOUNT,
        state: 'active',
        workflow: 'notified',
      });

      // EventBridge delivers it to the findings function with its envelope.
      const delivered = { ...documented(), detail };
      const out = await findingsHandler(delivered, findingsContext);
      expect(out).toEqual({ status: 'imported', findingId: detail.finding.id, workflow: 'notified' });
      expect(securityHub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input)).toEqual([
        { Findings: [toAsff(detail.finding, TARGET)] },
      ]);
    } finally {
      world.restore();
    }
  });
});

describe('the findings function', () => {
  it('imports a documented-shape handover and moves its workflow to NOTIFIED', async () => {
    const { detail } = documented();
    const out = await findingsHandler(documented(), findingsContext);
    expect(out).toEqual({ status: 'imported', findingId: detail.finding.id, workflow: 'notified' });
    const asff = toAsff(detail.finding, TARGET);
    expect(securityHub.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
      ['BatchImportFindingsCommand', { Findings: [asff] }],
      [
        'BatchUpdateFindingsCommand',
        {
          FindingIdentifiers: [{ Id: asff.Id, ProductArn: asff.ProductArn }],
          Workflow: { Status: 'NOTIFIED' },
          Note: { Text: `Tourniquet: ${detail.finding.title}`, UpdatedBy: 'tourniquet' },
        },
      ],
    ]);
  });

  it('imports a member account’s incident under the home account, the member in ProductFields', async () => {
    const delivered = documented();
    delivered.detail.finding = { ...delivered.detail.finding, account: MEMBER };
    await findingsHandler(delivered, findingsContext);
    const [imported] = securityHub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input);
    expect(imported?.Findings?.[0]).toMatchObject({
      AwsAccountId: ACCOUNT,
      ProductFields: expect.objectContaining({ 'tourniquet/account': MEMBER }),
    });
  });

  it('throws when Security Hub refuses, so Lambda retries and then dead-letters', async () => {
    securityHub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [{ Id: 'x', ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }],
    });
    await expect(findingsHandler(documented(), findingsContext)).rejects.toThrow(/InvalidInput bad/);
  });

  type Delivery = ReturnType<typeof documented>;
  const finding = (change: Partial<SecurityFinding> | Record<string, unknown>) => (e: Delivery) => {
    e.detail.finding = { ...e.detail.finding, ...change } as SecurityFinding;
  };
  it.each<[string, (e: Delivery) => void, RegExp]>([
    ['another account', (e) => (e.account = MEMBER), /comes from account "444455556666"/],
    ['another source', (e) => (e.source = 'tourniquet.forged'), /not a handed-over incident finding/],
    ['an AWS source', (e) => (e.source = 'aws.securityhub'), /not a handed-over incident finding/],
    ['another detail-type', (e) => (e['detail-type'] = 'Tourniquet Escalation'), /not a handed-over/],
    ['another handover version', (e) => ((e.detail as { version: number }).version = 2), /detail\.version/],
    ['a field Tourniquet never writes', (e) => (e.detail.extra = true), /malformed detail/],
    ['a posture finding', finding({ kind: 'posture' }), /detail\.finding\.kind/],
    ['an Azure finding', finding({ cloud: 'azure' }), /detail\.finding\.cloud/],
    ['an id that is not an incident’s', finding({ id: 'tourniquet/posture/x' }), /not a Tourniquet incident/],
    ['an id with a path in it', finding({ id: 'tourniquet/incident/../x' }), /not a Tourniquet incident/],
    ['a foreign generator', finding({ generator: 'attacker/x' }), /detail\.finding\.generator/],
    ['no resources', finding({ resources: [] }), /detail\.finding\.resources/],
    ['an account that is not one', finding({ account: 'me' }), /not a 12-digit AWS account id/],
    ['a time that is not one', finding({ updatedAt: 'yesterday' }), /not an ISO 8601 time/],
    ['a severity off the scale', finding({ severity: 11 }), /detail\.finding\.severity/],
    [
      'more than EventBridge delivers',
      finding({
        properties: Object.fromEntries(Array.from({ length: 140 }, (_, i) => [`p${i}`, 'y'.repeat(2_000)])),
      }),
      /EventBridge delivers at most 256 KB/,
    ],
  ])('rejects a handover from %s and imports nothing', async (_name, change, reason) => {
    const delivered = documented();
    change(delivered);
    const out = await findingsHandler(delivered, findingsContext);
    expect(out).toEqual({ status: 'rejected', reason: expect.stringMatching(reason) });
    expect(securityHub.calls()).toEqual([]);
  });

  it.each([null, 'text', [], { source: 'tourniquet' }])('rejects %j and imports nothing', async (raw) => {
    expect(await findingsHandler(raw, findingsContext)).toMatchObject({ status: 'rejected' });
    expect(securityHub.calls()).toEqual([]);
  });

  it('rejects everything when it cannot tell its own account', async () => {
    delete process.env.TOURNIQUET_HOME_ACCOUNT;
    expect(await findingsHandler(documented())).toEqual({
      status: 'rejected',
      reason: "this function's own account is unknown: nothing is accepted",
    });
    expect(securityHub.calls()).toEqual([]);
  });
});
