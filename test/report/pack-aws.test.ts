/**
 * The evidence pack of a real AWS incident: the deployed contain handler's journal (in-memory S3,
 * IAM and EventBridge behind the real executors and the S3 journal store), read back and built
 * into a pack at a chosen report time.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfigText } from '../../core/config.ts';
import { incidentJournal } from '../../core/journal.ts';
import { verifyChain } from '../../core/journal-chain.ts';
import { buildPack } from '../../core/report/pack.ts';
import { containHandler } from '../../functions-aws/handlers/contain.ts';
import { s3WriteOnceStore } from '../../functions-aws/journal-store.ts';
import { context, EVIDENCE, event, lambdaWorld } from '../aws/handlers/world.ts';

const H = 3_600_000;
const RECEIVED = '2026-11-25T10:00:20.000Z';
let world: ReturnType<typeof lambdaWorld>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(RECEIVED));
});
afterEach(() => {
  vi.useRealTimers();
  world.restore();
});

async function containedIncident() {
  world = lambdaWorld('enforce');
  const delivered = event('examples/events/guardduty-s3-exfiltration.json');
  const [out] = await containHandler(delivered, context);
  const incidentId = out?.incidentId as string;
  const journal = incidentJournal(s3WriteOnceStore(new S3Client({ region: 'us-east-1' }), EVIDENCE));
  const state = await journal.load(incidentId);
  if (!state) throw new Error('no journal');
  const config = parseConfigText(process.env.TOURNIQUET_CONFIG, 'test');
  return { incidentId, state, config, delivered };
}

describe('the evidence pack of an AWS incident', () => {
  it('holds the contract fields, with deadlines to the minute from awareness', async () => {
    const { incidentId, state, config, delivered } = await containedIncident();
    const awareAt = state.record.receivedAt as string;
    expect(awareAt).toBe(RECEIVED);
    const now = new Date(Date.parse(awareAt) + 31 * H);

    const pack = buildPack({ state, config, now, chain: verifyChain(state.entries), event: delivered });

    expect(Object.keys(pack)).toEqual(
      expect.arrayContaining([
        'incidentId',
        'status',
        'awareAt',
        'classifiedAt',
        'timeline',
        'measures',
        'evidence',
        'iocs',
        'chain',
        'regimes',
      ]),
    );
    expect(pack).toMatchObject({
      incidentId,
      status: 'contained',
      awareAt,
      classifiedAt: state.record.createdAt,
    });
    expect(pack.firstActivityAt).toBe('2026-11-25T09:41:03.000Z');
    const at = (hours: number, from = awareAt) => new Date(Date.parse(from) + hours * H).toISOString();
    expect(pack.regimes.gdpr).toMatchObject({
      deadline: at(72),
      status: 'due',
      text: expect.stringMatching(/due in 41 h 0 min$/),
    });
    expect(pack.regimes.nis2).toMatchObject({
      deadline: at(24),
      status: 'overdue',
      text: 'early warning: overdue by 7 h 0 min',
    });
    expect(pack.regimes.nis2?.clocks.map((c) => c.deadline)).toEqual([
      '2026-11-26T10:00:20.000Z',
      '2026-11-28T10:00:20.000Z',
      '2026-12-28T10:00:20.000Z',
    ]);
    expect(pack.regimes.dora?.deadline).toBe(at(4, pack.classifiedAt));
    expect(pack.regimes.dora?.status).toBe('overdue');
    expect(pack.chain).toMatchObject({ verified: true, status: 'verified', problems: [] });
    expect(pack.chain.head).toBe(state.seals.at(-1)?.sha256);
  });

  it('shows a clock met when its notification was submitted, and counts the next stage from it', async () => {
    const { state, config, delivered } = await containedIncident();
    const awareAt = Date.parse(state.record.receivedAt as string);
    const submissions = [
      { regime: 'nis2' as const, stage: 'early warning', at: new Date(awareAt + 20 * H).toISOString() },
      {
        regime: 'nis2' as const,
        stage: 'incident notification',
        at: new Date(awareAt + 50 * H).toISOString(),
      },
      { regime: 'dora' as const, stage: 'initial notification', at: new Date(awareAt + 5 * H).toISOString() },
    ];
    const now = new Date(awareAt + 60 * H);
    const pack = buildPack({
      state,
      config,
      now,
      chain: verifyChain(state.entries),
      event: delivered,
      submissions,
    });
    const nis2 = pack.regimes.nis2?.clocks ?? [];

    expect(nis2.map((c) => [c.stage, c.status, c.text])).toEqual([
      ['early warning', 'met', 'met 4 h 0 min before the deadline'],
      ['incident notification', 'met', 'met 22 h 0 min before the deadline'],
      ['final report', 'due', expect.stringMatching(/^due in /)],
    ]);
    expect(nis2[2]?.deadline).toBe('2026-12-27T12:00:20.000Z');
    expect(pack.regimes.nis2).toMatchObject({ status: 'due', deadline: '2026-12-27T12:00:20.000Z' });
    // DORA's initial notification came an hour after its 4-hour deadline: met late, with a slot for why.
    expect(pack.regimes.dora?.clocks[0]).toMatchObject({ status: 'met', text: 'met 1 h 0 min late' });
    expect(pack.regimes.dora?.delayReasons).toMatchObject({ value: null, source: 'human' });
    expect(pack.regimes.dora?.clocks[1]?.deadline).toBe(new Date(awareAt + 77 * H).toISOString());
  });

  it('counts the training data behind leaked weights and leaves human fields empty', async () => {
    const { state, config, delivered } = await containedIncident();
    const pack = buildPack({
      state,
      config,
      now: new Date(),
      chain: verifyChain(state.entries),
      event: delivered,
    });
    const gdpr = pack.regimes.gdpr?.fields ?? {};

    expect(pack.exposed.map((e) => [e.name, e.how])).toEqual([
      ['models-prod', 'named by the alert'],
      ['training-data', 'trained into models-prod'],
    ]);
    expect(gdpr['33(3)(a) categories']?.value).toEqual([
      'model-weights:support-assistant-7b',
      'training-data:customer-support-transcripts',
    ]);
    expect(gdpr['33(3)(a) data subjects']).toMatchObject({ value: 85000, source: 'config' });
    expect(gdpr['33(3)(b) contact']?.value).toBe('Dana Schmidt <dpo@acme-ai.example>');
    const empty = Object.entries({ ...gdpr, ...pack.regimes.nis2?.fields, ...pack.regimes.dora?.fields })
      .filter(([, f]) => f.source === 'human')
      .map(([id, f]) => [id, f.value]);
    expect(empty).toEqual(
      expect.arrayContaining([
        ['33(3)(c) consequences', null],
        ['2.8', null],
        ['23(4)(d)(ii) root cause', null],
      ]),
    );
    expect(empty.every(([, v]) => v === null)).toBe(true);
  });

  it('lists every pinned object with its version, checksums and evidence copy, and the IoCs', async () => {
    const { state, config, delivered } = await containedIncident();
    const pack = buildPack({
      state,
      config,
      now: new Date(),
      chain: verifyChain(state.entries),
      event: delivered,
    });

    expect(
      pack.evidence.map((e) => [e.store, e.key, e.copy?.location.startsWith(`s3://${EVIDENCE}/`)]),
    ).toEqual([
      ['models-prod', 'weights/model-00001.safetensors', true],
      ['models-prod', 'weights/model-00002.safetensors', true],
    ]);
    expect(pack.evidence[0]).toMatchObject({ size: 4 * 1024 ** 3, version: expect.stringMatching(/^v\d+$/) });
    expect(pack.iocs).toMatchObject({
      principals: [
        'arn:aws:iam::111122223333:role/llm-finetune-role',
        'principal-id:AROAEXAMPLEFINETUNE1:botocore-session-1764064512',
      ],
      accessKeyIds: ['ASIAEXAMPLEFINETUNE1'],
      sourceIps: ['198.51.100.7'],
    });
    expect(pack.measures.find((m) => m.kind === 'revoke-role-sessions')).toMatchObject({
      outcome: 'applied',
      documents: {
        policyName: expect.any(String),
        policyDocument: { Statement: [expect.objectContaining({ Effect: 'Deny' })] },
      },
      before: expect.anything(),
    });
    expect(pack.places).toEqual([
      { region: 'us-east-1', country: 'US', eea: false, name: 'US East (N. Virginia)' },
    ]);
  });
});

describe('the deployed AWS function', () => {
  it('writes the pack (JSON + HTML) next to the journal and names its place in the escalation', async () => {
    const { incidentId } = await containedIncident();
    const keys = [...(world.s3.buckets.get(EVIDENCE)?.objects.keys() ?? [])].filter((k) =>
      k.includes('/pack/'),
    );
    expect(keys.sort()).toEqual([
      `incidents/${incidentId}/pack/001-contain.html`,
      `incidents/${incidentId}/pack/001-contain.json`,
    ]);
    const written = JSON.parse(
      world.s3.buckets
        .get(EVIDENCE)
        ?.objects.get(keys[1] ?? '')
        ?.at(-1)?.body ?? '{}',
    );
    expect(written).toMatchObject({ incidentId, status: 'contained', chain: { verified: true } });
    const escalation = world.eventBridge
      .calls()
      .map((c) => (c.args[0].input as { Entries: { Detail: string }[] }).Entries[0]);
    expect(JSON.parse(escalation[0]?.Detail ?? '{}').evidencePack).toBe(
      `s3://${EVIDENCE}/incidents/${incidentId}/pack/`,
    );
  });
});
