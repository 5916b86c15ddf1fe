/**
 * Incident findings off the event path: the contain, manual and scan functions hand each finding
 * over as a pointer (`Tourniquet Incident Finding`, detail `{ version: 2, incidentId }`) on the
 * default bus (functions-aws/finding-handover.ts); the findings function rebuilds the finding from
 * this deployment's sealed journal and imports exactly that into Security Hub, once per seal
 * (functions-aws/sealed-finding.ts). Anyone allowed events:PutEvents on the bus can post the event
 * (only `aws.` sources are reserved): a forged or altered pointer publishes nothing. Exact PutEvents,
 * S3 and Security Hub inputs.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAsff } from '../../../core/findings/asff.ts';
import type { SecurityFinding } from '../../../core/findings/finding.ts';
import { incidentFinding } from '../../../core/findings/incident.ts';
import { incidentJournal } from '../../../core/journal.ts';
import { eventBridgeFindingHandover } from '../../../functions-aws/finding-handover.ts';
import { containHandler } from '../../../functions-aws/handlers/contain.ts';
import { findingsHandler, resetFindingsClients } from '../../../functions-aws/handlers/findings.ts';
import { s3WriteOnceStore } from '../../../functions-aws/journal-store.ts';
import { ACCOUNT, MEMBER } from '../../support/config.ts';
import { context, EVIDENCE, event, lambdaWorld } from './world.ts';

const TARGET = { importAccount: ACCOUNT, region: 'us-east-1' };
const findingsContext = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:tourniquet-prod-findings`,
};
type Delivery = {
  account: string;
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
};
/** The documented shape (docs/ai-sources.md), as EventBridge delivers it. */
const documented = () =>
  JSON.parse(readFileSync('examples/events/tourniquet-incident-finding.json', 'utf8')) as Delivery;
const pointerTo = (incidentId: string): Delivery => ({
  ...documented(),
  detail: { version: 2, incidentId },
});

let securityHub: ReturnType<typeof mockClient>;
beforeEach(() => {
  resetFindingsClients();
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
  resetFindingsClients();
  delete process.env.TOURNIQUET_FINDINGS;
  delete process.env.TOURNIQUET_HOME_ACCOUNT;
});

/** Contains the documented GuardDuty exfiltration; returns the incident, its handover and its journal. */
async function containedIncident() {
  process.env.TOURNIQUET_FINDINGS = 'securityhub';
  const [result] = await containHandler(
    event('examples/events/guardduty-s3-exfiltration.json'),
    context as never,
  );
  expect(result).toMatchObject({ decision: 'contain', status: 'contained' });
  const incidentId = result?.incidentId as string;
  const journal = incidentJournal(s3WriteOnceStore(new S3Client({ region: 'us-east-1' }), EVIDENCE));
  const state = await journal.load(incidentId);
  if (!state) throw new Error('no journal');
  const seal = state.seals.at(-1);
  if (!seal) throw new Error('no seal');
  return { incidentId, state, seal, journalFinding: incidentFinding(state, seal.phase, new Date(seal.at)) };
}
const imports = () => securityHub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input);

describe('the handover (event path)', () => {
  it('puts exactly one pointer on the default bus: the incident id, never the finding', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    try {
      const finding = {
        id: 'tourniquet/incident/aws-guardduty-2b3172ce4970bdd3e9af',
        properties: { 'tourniquet/incident': 'aws-guardduty-2b3172ce4970bdd3e9af' },
      } as unknown as SecurityFinding;
      await eventBridgeFindingHandover(new EventBridgeClient({ region: 'us-east-1' }))(finding, true);
      expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
        {
          Entries: [
            {
              EventBusName: 'default',
              Source: 'tourniquet',
              DetailType: 'Tourniquet Incident Finding',
              Detail: JSON.stringify(documented().detail),
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
    const finding = { id: 'x', properties: { 'tourniquet/incident': 'inc-1' } } as unknown as SecurityFinding;
    try {
      await expect(
        eventBridgeFindingHandover(new EventBridgeClient({ region: 'us-east-1' }))(finding, false),
      ).rejects.toThrow(/ThrottlingException Rate exceeded/);
    } finally {
      eventBridge.restore();
    }
  });
});

describe('the findings function, from the journal', () => {
  it('publishes exactly the journal’s finding for a genuine handover, and marks the seal published', async () => {
    const world = lambdaWorld();
    try {
      const { incidentId, seal, journalFinding } = await containedIncident();
      expect(securityHub.calls()).toEqual([]);
      const handovers = world.eventBridge
        .commandCalls(PutEventsCommand)
        .flatMap((c) => c.args[0].input.Entries ?? [])
        .filter((e) => e.DetailType === 'Tourniquet Incident Finding');
      expect(handovers).toEqual([
        {
          EventBusName: 'default',
          Source: 'tourniquet',
          DetailType: 'Tourniquet Incident Finding',
          Detail: JSON.stringify({ version: 2, incidentId }),
        },
      ]);

      const delivered = { ...documented(), detail: JSON.parse(handovers[0]?.Detail ?? '{}') };
      const out = await findingsHandler(delivered, findingsContext);
      expect(out).toEqual({
        status: 'imported',
        findingId: `tourniquet/incident/${incidentId}`,
        workflow: 'notified',
        seal: seal.seal,
      });
      const asff = toAsff(journalFinding, TARGET);
      expect(journalFinding).toMatchObject({ account: ACCOUNT, cloud: 'aws', updatedAt: seal.at });
      expect(securityHub.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
        ['BatchImportFindingsCommand', { Findings: [asff] }],
        [
          'BatchUpdateFindingsCommand',
          {
            FindingIdentifiers: [{ Id: asff.Id, ProductArn: asff.ProductArn }],
            Workflow: { Status: 'NOTIFIED' },
            Note: { Text: `Tourniquet: ${journalFinding.title}`, UpdatedBy: 'tourniquet' },
          },
        ],
      ]);
      const marks = world.s3.mock
        .commandCalls(PutObjectCommand)
        .map((c) => c.args[0].input)
        .filter((i) => i.Key?.includes('/findings/'));
      expect(marks).toEqual([
        {
          Bucket: EVIDENCE,
          Key: `incidents/${incidentId}/findings/${String(seal.seal).padStart(3, '0')}.json`,
          Body: `${JSON.stringify(
            { incidentId, seal: seal.seal, sealSha256: seal.sha256, findingId: journalFinding.id },
            null,
            2,
          )}\n`,
          ContentType: 'application/json',
          IfNoneMatch: '*',
        },
      ]);
    } finally {
      world.restore();
    }
  });

  it('publishes a duplicate delivery once: the replay finds the seal published and imports nothing', async () => {
    const world = lambdaWorld();
    try {
      const { incidentId, journalFinding } = await containedIncident();
      expect(await findingsHandler(pointerTo(incidentId), findingsContext)).toMatchObject({
        status: 'imported',
      });
      expect(await findingsHandler(pointerTo(incidentId), findingsContext)).toMatchObject({
        status: 'duplicate',
        findingId: journalFinding.id,
      });
      expect(imports()).toEqual([{ Findings: [toAsff(journalFinding, TARGET)] }]);
      expect(securityHub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(1);
    } finally {
      world.restore();
    }
  });

  it('leaves no mark when Security Hub refuses, so the retry publishes the same finding', async () => {
    const world = lambdaWorld();
    try {
      const { incidentId, journalFinding } = await containedIncident();
      securityHub
        .on(BatchImportFindingsCommand)
        .resolvesOnce({
          SuccessCount: 0,
          FailedCount: 1,
          FailedFindings: [{ Id: 'x', ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }],
        })
        .resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
      await expect(findingsHandler(pointerTo(incidentId), findingsContext)).rejects.toThrow(
        /InvalidInput bad/,
      );
      expect(await findingsHandler(pointerTo(incidentId), findingsContext)).toMatchObject({
        status: 'imported',
      });
      const asff = toAsff(journalFinding, TARGET);
      expect(imports()).toEqual([{ Findings: [asff] }, { Findings: [asff] }]);
    } finally {
      world.restore();
    }
  });

  it('rejects a pointer to an incident whose journal was altered, and publishes nothing', async () => {
    const world = lambdaWorld();
    try {
      const { incidentId, state } = await containedIncident();
      const claim = `incidents/${incidentId}/journal/incident.json`;
      const record = { ...state.record, alert: { ...state.record.alert, type: 'Forged:S3/Nothing' } };
      world.s3.object(EVIDENCE, claim, { body: `${JSON.stringify(record, null, 2)}\n` });
      expect(await findingsHandler(pointerTo(incidentId), findingsContext)).toEqual({
        status: 'rejected',
        reason: expect.stringMatching(
          new RegExp(`the journal of ${incidentId} (does not verify|was altered)`),
        ),
      });
      expect(securityHub.calls()).toEqual([]);
    } finally {
      world.restore();
    }
  });

  it('rejects a pointer to an incident this deployment never journaled, and publishes nothing', async () => {
    const world = lambdaWorld();
    try {
      expect(await findingsHandler(documented(), findingsContext)).toEqual({
        status: 'rejected',
        reason: 'incident aws-guardduty-2b3172ce4970bdd3e9af has no journal in this deployment',
      });
      expect(securityHub.calls()).toEqual([]);
    } finally {
      world.restore();
    }
  });
});

describe('the findings function, on forged events', () => {
  /** The finding the version-1 handover carried, forged: what anyone with PutEvents could post before. */
  const forgedFinding = {
    id: 'tourniquet/incident/aws-guardduty-2b3172ce4970bdd3e9af',
    kind: 'incident',
    generator: 'tourniquet/playbook/aws-s3-exfiltration',
    title: 'Nothing happened (forged)',
    description: 'forged',
    severity: 0,
    cloud: 'aws',
    account: ACCOUNT,
    firstSeenAt: '2026-11-25T10:00:00.000Z',
    lastSeenAt: '2026-11-25T10:00:00.000Z',
    createdAt: '2026-11-25T10:00:05.000Z',
    updatedAt: '2099-01-01T00:00:00.000Z',
    resources: [{ kind: 'account', id: ACCOUNT }],
    types: ['Effects/Data Exfiltration'],
    state: 'resolved',
    workflow: 'resolved',
    properties: {},
  };
  it.each<[string, (e: Delivery) => void, RegExp]>([
    ['another account', (e) => (e.account = MEMBER), /comes from account "444455556666"/],
    ['another source', (e) => (e.source = 'tourniquet.forged'), /not a handed-over incident finding/],
    ['an AWS source', (e) => (e.source = 'aws.securityhub'), /not a handed-over incident finding/],
    ['another detail-type', (e) => (e['detail-type'] = 'Tourniquet Escalation'), /not a handed-over/],
    [
      'a version-1 handover carrying its own finding',
      (e) => (e.detail = { version: 1, first: false, finding: forgedFinding }),
      /detail\.version/,
    ],
    ['a pointer that also carries a finding', (e) => (e.detail.finding = forgedFinding), /malformed detail/],
    ['a pointer with a path in it', (e) => (e.detail.incidentId = 'a/../b'), /not a Tourniquet incident id/],
    ['a pointer with no id', (e) => delete e.detail.incidentId, /detail\.incidentId/],
  ])('rejects a handover from %s and publishes nothing', async (_name, change, reason) => {
    const delivered = documented();
    change(delivered);
    const out = await findingsHandler(delivered, findingsContext);
    expect(out).toEqual({ status: 'rejected', reason: expect.stringMatching(reason) });
    expect(securityHub.calls()).toEqual([]);
  });

  it('rejects the forged finding of another account’s event even when a genuine journal exists', async () => {
    const world = lambdaWorld();
    try {
      const { incidentId } = await containedIncident();
      const out = await findingsHandler({ ...pointerTo(incidentId), account: MEMBER }, findingsContext);
      expect(out).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/comes from account/) });
      expect(securityHub.calls()).toEqual([]);
    } finally {
      world.restore();
    }
  });

  it.each([null, 'text', [], { source: 'tourniquet' }])('rejects %j and publishes nothing', async (raw) => {
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
