/**
 * Findings out: each incident, after each phase, as the finding SOC tools read. ASFF to Security
 * Hub (`BatchImportFindings`, then `BatchUpdateFindings` for the workflow a provider may not set on
 * an update: Security Hub User Guide `finding-update-batchimportfindings`, API `WorkflowUpdate`),
 * OCSF 1.1 Detection Finding (class 2004) to the logs and to an Event Grid topic; both validated
 * against the JSON Schemas in schema/findings. And what Tourniquet published, coming back through
 * Security Hub or Event Grid, is never acted on.
 */
import { readFileSync } from 'node:fs';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { toAsff } from '../../core/findings/asff.ts';
import type { SecurityFinding } from '../../core/findings/finding.ts';
import { type OcsfFinding, toOcsf } from '../../core/findings/ocsf.ts';
import { incidentFindingPublisher } from '../../core/findings/publish-incident.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { securityHubIncidentSink } from '../../functions-aws/incident-findings.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { eventGridIncidentSink } from '../../functions-azure/incident-findings.ts';
import { eventGridPublisher } from '../../functions-azure/posture/event-grid-publisher.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { ACCOUNT, awsConfig, MEMBER } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const schema = (name: string) => JSON.parse(readFileSync(`schema/findings/${name}.schema.json`, 'utf8'));
const asffValid = ajv.compile(schema('asff-finding'));
const ocsfValid = ajv.compile(schema('ocsf-finding'));
const TARGET = { importAccount: ACCOUNT, region: 'us-east-1' };

/** An incident contained and then released, with every finding the publisher handed on. */
async function lifecycle(alert = exfiltrationAlert()) {
  const published: { finding: SecurityFinding; first: boolean }[] = [];
  const journal = incidentJournal(memoryStore());
  let clock = new Date('2026-11-25T10:00:05Z');
  const deps = {
    config: awsConfig(),
    executors: fakeCloud().executors,
    packs: PACKS,
    journal,
    retry: instantRetry,
    now: () => clock,
    publishFinding: incidentFindingPublisher(
      journal,
      async (finding, first) => {
        published.push({ finding, first });
      },
      () => clock,
    ),
  };
  const { outcomes } = await handleParsedEvent({ kind: 'alerts', alerts: [alert] }, deps);
  const incidentId = outcomes[0]?.decision.incidentId ?? '';
  clock = new Date('2026-11-25T11:30:00Z');
  const released = await release({ incidentId, approver: 'alice', reason: 'false positive' }, deps);
  return { published, incidentId, contained: outcomes[0]?.report, released: released.report };
}

describe('incident findings', () => {
  it('move NEW → NOTIFIED after containment (humans told) and RESOLVED after release', async () => {
    const { published, incidentId, contained, released } = await lifecycle();
    expect(published.map((p) => [p.finding.workflow, p.finding.state, p.first])).toEqual([
      ['notified', 'active', true],
      ['resolved', 'resolved', false],
    ]);
    expect(contained?.finding).toEqual({
      published: `tourniquet/incident/${incidentId}`,
      workflow: 'notified',
    });
    expect(released?.finding).toEqual({
      published: `tourniquet/incident/${incidentId}`,
      workflow: 'resolved',
    });
    expect(published[0]?.finding).toMatchObject({
      id: `tourniquet/incident/${incidentId}`,
      kind: 'incident',
      generator: 'tourniquet/playbook/aws-s3-exfiltration',
      title: `Exfiltration:S3/AnomalousBehavior contained by Tourniquet (${incidentId})`,
      severity: 8,
      cloud: 'aws',
      account: ACCOUNT,
      resources: [
        { kind: 'role', id: `arn:aws:iam::${ACCOUNT}:role/etl-job`, name: 'etl-job' },
        { kind: 'bucket', id: 'arn:aws:s3:::models-prod' },
      ],
      properties: { 'tourniquet/incident': incidentId, 'tourniquet/mode': 'enforce' },
    });
  });

  it.each([
    ['contained', 0],
    ['released', 1],
  ])('are valid ASFF and OCSF Detection Findings (class 2004) when %s', async (_name, i) => {
    const { published } = await lifecycle();
    const f = published[i]?.finding as SecurityFinding;
    const asff = toAsff(f, TARGET);
    expect(asffValid(asff), ajv.errorsText(asffValid.errors)).toBe(true);
    const ocsf = toOcsf(f, {
      activity: i ? 'Close' : 'Create',
      productVersion: '0.1.0',
      now: new Date(f.updatedAt),
    });
    expect(ocsfValid(ocsf), ajv.errorsText(ocsfValid.errors)).toBe(true);
    expect([ocsf.class_uid, ocsf.type_uid, ocsf.status_id, ocsf.status]).toEqual(
      i ? [2004, 200403, 4, 'Resolved'] : [2004, 200401, 2, 'In Progress'],
    );
  });

  it('never hold containment up: a sink that fails is an outcome', async () => {
    const journal = incidentJournal(memoryStore());
    const deps = {
      config: awsConfig(),
      executors: fakeCloud().executors,
      packs: PACKS,
      journal,
      retry: instantRetry,
      publishFinding: incidentFindingPublisher(journal, async () => {
        throw new Error('Security Hub is not enabled in us-east-1');
      }),
    };
    const { outcomes, failure } = await handleParsedEvent(
      { kind: 'alerts', alerts: [exfiltrationAlert()] },
      deps,
    );
    expect(failure).toBeUndefined();
    expect(outcomes[0]?.report).toMatchObject({
      status: 'contained',
      finding: {
        error: "the incident's finding was not published: Error: Security Hub is not enabled in us-east-1",
      },
    });
  });
});

describe('Security Hub as the sink', () => {
  let hub: ReturnType<typeof mockClient>;
  afterEach(() => hub?.restore());

  it('imports the ASFF, then sets the workflow with BatchUpdateFindings, and logs the OCSF form', async () => {
    hub = mockClient(SecurityHubClient);
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const { published } = await lifecycle();
    const logged: OcsfFinding[] = [];
    const sink = securityHubIncidentSink({
      client: async () => new SecurityHubClient({ region: 'us-east-1' }),
      target: TARGET,
      productVersion: '0.1.0',
      log: (o) => logged.push(o),
      now: () => new Date('2026-11-25T10:00:06Z'),
    });
    for (const p of published) await sink(p.finding, p.first);
    const imports = hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input);
    expect(imports.map((i) => i.Findings?.[0]?.RecordState)).toEqual(['ACTIVE', 'ARCHIVED']);
    const id = published[0]?.finding.id;
    const productArn = `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`;
    expect(hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)).toEqual([
      {
        FindingIdentifiers: [{ Id: id, ProductArn: productArn }],
        Workflow: { Status: 'NOTIFIED' },
        Note: {
          Text: expect.stringMatching(/^Tourniquet: Exfiltration:S3\/AnomalousBehavior contained/),
          UpdatedBy: 'tourniquet',
        },
      },
      {
        FindingIdentifiers: [{ Id: id, ProductArn: productArn }],
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: expect.stringMatching(/released/), UpdatedBy: 'tourniquet' },
      },
    ]);
    expect(logged.map((o) => [o.activity_name, o.class_uid])).toEqual([
      ['Create', 2004],
      ['Close', 2004],
    ]);
  });

  it('imports a member account’s incident under the home account (the default product takes no other)', async () => {
    hub = mockClient(SecurityHubClient);
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0 });
    hub.on(BatchUpdateFindingsCommand).resolves({ UnprocessedFindings: [] });
    const { published } = await lifecycle(
      exfiltrationAlert({ account: MEMBER, dedupeKey: `aws:guardduty:${MEMBER}:us-east-1:f1` }),
    );
    const sink = securityHubIncidentSink({
      client: async () => new SecurityHubClient({}),
      target: TARGET,
      productVersion: '0.1.0',
    });
    await sink(published[0]?.finding as SecurityFinding, true);
    const finding = hub.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input.Findings?.[0];
    expect([finding?.AwsAccountId, finding?.ProductFields?.['tourniquet/account']]).toEqual([
      ACCOUNT,
      MEMBER,
    ]);
  });

  it('reports a refused import as an error', async () => {
    hub = mockClient(SecurityHubClient);
    hub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [
        { Id: 'x', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' },
      ],
    });
    const { published } = await lifecycle();
    const sink = securityHubIncidentSink({
      client: async () => new SecurityHubClient({}),
      target: TARGET,
      productVersion: '0.1.0',
    });
    await expect(sink(published[0]?.finding as SecurityFinding, true)).rejects.toThrow(
      /refused .*InvalidInput/,
    );
    expect(hub).not.toReceiveCommand(BatchUpdateFindingsCommand);
  });
});

describe('what Tourniquet published, coming back', () => {
  it('through Security Hub (ASFF, Findings - Imported) is never acted on', async () => {
    const { published } = await lifecycle();
    const asff = toAsff(published[0]?.finding as SecurityFinding, TARGET);
    const event = {
      version: '0',
      id: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
      'detail-type': 'Security Hub Findings - Imported',
      source: 'aws.securityhub',
      account: ACCOUNT,
      time: '2026-11-25T10:00:07Z',
      region: 'us-east-1',
      resources: [],
      detail: { findings: [{ ...asff, Workflow: { Status: 'NOTIFIED' } }] },
    };
    expect(parseAwsEvent(event)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/Tourniquet's own/),
    });
  });

  it('through Security Hub v2 (OCSF, Findings Imported V2) is never acted on', async () => {
    const { published } = await lifecycle();
    const f = published[0]?.finding as SecurityFinding;
    const ocsf = toOcsf(f, { activity: 'Create', productVersion: '0.1.0', now: new Date(f.updatedAt) });
    const event = {
      version: '0',
      id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
      'detail-type': 'Findings Imported V2',
      source: 'aws.securityhub',
      account: ACCOUNT,
      time: '2026-11-25T10:00:08Z',
      region: 'us-east-1',
      resources: [],
      detail: { findings: [ocsf] },
    };
    expect(parseAwsEvent(event)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/Tourniquet's own/),
    });
  });

  it('through the Event Grid findings topic is never acted on', async () => {
    const { published } = await lifecycle();
    const sent: unknown[] = [];
    const publish = eventGridPublisher({
      topicEndpoint: 'https://tourniquet-findings.westeurope-1.eventgrid.azure.net/api/events',
      token: async () => 'eg-token',
      productVersion: '0.1.0',
      fetch: (async (_url: string, init: RequestInit) => {
        sent.push(...JSON.parse(String(init.body)));
        return new Response(null, { status: 200 });
      }) as typeof fetch,
    });
    const sink = eventGridIncidentSink(publish);
    for (const p of published) await sink(p.finding, p.first);
    const events = sent as { eventType: string; subject: string; data: { ocsf: OcsfFinding } }[];
    expect(events.map((e) => [e.eventType, e.subject, e.data.ocsf.activity_name])).toEqual([
      ['Tourniquet.Incident.Notified', `/${published[0]?.finding.id}`, 'Create'],
      ['Tourniquet.Incident.Released', `/${published[0]?.finding.id}`, 'Close'],
    ]);
    for (const e of events) expect(ocsfValid(e.data.ocsf), ajv.errorsText(ocsfValid.errors)).toBe(true);
    const back = {
      ...(events[0] as object),
      id: 'x-1',
      eventTime: '2026-11-25T10:00:09Z',
      topic:
        '/subscriptions/4a1b2c3d-5e6f-4789-8abc-def012345678/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/tourniquet-findings',
      dataVersion: '1.0',
    };
    expect(parseAzureEvent(back)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/Tourniquet's own/),
    });
  });
});
