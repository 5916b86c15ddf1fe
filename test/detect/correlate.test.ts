import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert, PrincipalRef } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { COMBINATIONS, combine } from '../../core/detect/combinations.ts';
import { correlate } from '../../core/detect/correlate.ts';
import { detectorAlert } from '../../core/detect/detector-alert.ts';
import { routeFindings } from '../../core/detect/modes.ts';
import { SIGNAL_KINDS, type SignalKind } from '../../core/detect/signals.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, detectConfig, SUBSCRIPTION } from './detect-config.ts';

const now = new Date('2026-11-25T10:30:00Z');
const WINDOW = { start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T11:00:00.000Z' };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/llm-inference-role`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/i-0abc`;

function role(session = SESSION): PrincipalRef {
  return {
    id: ROLE,
    kind: 'role',
    account: ACCOUNT,
    aliases: [{ type: 'session-arn', value: session }],
    certain: true,
  };
}

type RuleAlert = { rule: string; type: (typeof T)[keyof typeof T]; evidence: Record<string, unknown> };
function ruleAlert(
  r: RuleAlert,
  principal: PrincipalRef | null = role(),
  cloud: 'aws' | 'azure' = 'aws',
): Alert {
  return detectorAlert({
    rule: r.rule,
    type: r.type,
    severity: 8,
    cloud,
    account: cloud === 'aws' ? ACCOUNT : SUBSCRIPTION,
    principal,
    resources: [{ kind: 'bucket', id: 'arn:aws:s3:::models-prod' }],
    observedAt: now.getTime(),
    subject: principal?.id ?? 'none',
    window: 0,
    title: r.rule,
    evidence: r.evidence,
  });
}

const bulk = (trusted: boolean, knownReader = trusted): RuleAlert => ({
  rule: 'bulk-read',
  type: T.bulkRead,
  evidence: { actor: SESSION, objects: 38, bytes: 150e9, knownReader, trusted, window: WINDOW },
});
const unexpected = (ip = '198.51.100.7'): RuleAlert => ({
  rule: 'unexpected-network',
  type: T.unexpectedNetwork,
  evidence: { actor: SESSION, origins: [ip], objects: 38, bytes: 150e9, window: WINDOW },
});
const first: RuleAlert = {
  rule: 'first-reader',
  type: T.firstReader,
  evidence: { firstRead: 's3://models-prod/weights/a' },
};
const canary: RuleAlert = {
  rule: 'canary-token',
  type: T.canaryToken,
  evidence: { hits: 1, matched: ['CANARY-7f'] },
};
const injection = (hits: number): RuleAlert => ({
  rule: 'prompt-injection',
  type: T.promptInjection,
  evidence: { hits, matched: ['ignore previous instructions'], window: WINDOW },
});

describe('correlator: the issue outcomes, case by case', () => {
  it('bulk volume alone by a known reader from its expected network: a low signal, nothing acts', () => {
    const [f] = correlate([ruleAlert(bulk(true))]);
    expect(f).toMatchObject({ confidence: 'low', actor: { id: SESSION }, principal: { id: ROLE } });
    const routed = routeFindings([f as never], detectConfig());
    expect(routed.act).toEqual([]);
    expect(routed.signals).toHaveLength(1);
  });

  it('the same volume from an unexpected network: high, one finding naming both signals', () => {
    const found = correlate([ruleAlert(bulk(true)), ruleAlert(unexpected())]);
    expect(found).toHaveLength(1);
    expect(found[0]?.confidence).toBe('high');
    expect(found[0]?.signals.join('; ')).toMatch(
      /38 weight objects, 150 GB in 60 min by a known reader; from 198\.51\.100\.7, outside every expected network/,
    );
    expect(found[0]?.context.combination).toBe('known reader, bulk volume from outside its networks');
  });

  it('first-ever reader of weights with bulk volume from outside the expected networks: high', () => {
    const found = correlate([ruleAlert(first), ruleAlert(bulk(false)), ruleAlert(unexpected())]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ confidence: 'high', type: T.bulkRead });
    expect(found[0]?.signals).toContain('first read of weights by this principal ever');
  });

  it('a first-ever reader joins every session of its principal, not other principals', () => {
    const other = { ...role(), id: `arn:aws:iam::${ACCOUNT}:role/other` };
    const found = correlate([ruleAlert(first, other), ruleAlert(bulk(false)), ruleAlert(unexpected())]);
    expect(found.map((f) => f.confidence).sort()).toEqual(['high', 'low']);
  });

  it('a canary token in a response: high on its own', () => {
    expect(correlate([ruleAlert(canary)])[0]?.confidence).toBe('high');
  });

  it('one injection pattern in one prompt: medium; repeated attempts by one end user: high', () => {
    expect(correlate([ruleAlert(injection(1))])[0]?.confidence).toBe('medium');
    expect(correlate([ruleAlert(injection(3))])[0]?.confidence).toBe('high');
  });

  it('different actors of one role stay apart: two sessions, two findings', () => {
    const a = ruleAlert(bulk(false));
    const b = ruleAlert({ ...unexpected(), evidence: { ...unexpected().evidence, actor: `${SESSION}-2` } });
    expect(correlate([a, b]).map((f) => f.confidence)).toEqual(['medium', 'medium']);
  });

  it('the same source address in both clouds becomes one finding', () => {
    const azure: PrincipalRef = {
      id: 'a4711f3a-254f-4cfb-8a2d-222222222222',
      kind: 'service-principal',
      account: SUBSCRIPTION,
      aliases: [],
      certain: true,
    };
    const az = ruleAlert({ ...unexpected(), evidence: { origins: ['198.51.100.7'] } }, azure, 'azure');
    const found = correlate([ruleAlert(unexpected()), az]);
    expect(found).toHaveLength(1);
    expect(found[0]?.confidence).toBe('high');
    expect(found[0]?.signals).toContain('the same address 198.51.100.7 acted in both clouds');
    expect(found[0]?.context.otherCloudPrincipals).toEqual([azure.id]);
  });

  it("an approved artifact's checksum in the other cloud's storage: high", () => {
    const copied: RuleAlert = {
      rule: 'artifact-copied',
      type: T.artifactCopied,
      evidence: {
        how: 'object with an approved artifact digest',
        original: 'https://llmweights.blob.core.windows.net/models/a.safetensors',
        copy: 's3://drop/a',
      },
    };
    expect(correlate([ruleAlert(copied)])[0]?.confidence).toBe('high');
    const same = { ...copied, evidence: { ...copied.evidence, original: 's3://models-prod/weights/a' } };
    expect(correlate([ruleAlert(same)])[0]?.confidence).toBe('medium');
  });
});

describe('combination table', () => {
  it.each(COMBINATIONS.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const counts = new Map<SignalKind, number>(row.all.map((k) => [k, 1]));
    if (row.atLeast) counts.set(row.atLeast.kind, row.atLeast.count);
    expect(combine(counts)?.confidence).toBe(row.confidence);
  });

  it('names every signal kind on its own', () => {
    const alone = new Set(COMBINATIONS.filter((r) => r.all.length === 1).map((r) => r.all[0]));
    expect(SIGNAL_KINDS.filter((k) => !alone.has(k))).toEqual([]);
  });

  it("an actor's own baseline never contains on its signals alone, however many of them", () => {
    const kinds = ['above-own-baseline', 'new-network', 'unusual-hours'] as const;
    expect(kinds.map((k) => combine(new Map([[k, 100]]))?.confidence)).toEqual(['medium', 'low', 'low']);
    expect(combine(new Map(kinds.map((k) => [k, 1])))?.confidence).toBe('medium');
    expect(combine(new Map([...kinds.map((k) => [k, 1] as const), ['unexpected-network', 1]]))?.name).toBe(
      "volume far above the actor's own baseline from a new network outside expected networks",
    );
  });

  it('volume alone never reaches high', () => {
    for (const k of ['bulk-volume', 'bulk-volume-known-reader', 'egress-volume', 'request-rate'] as const)
      expect(combine(new Map([[k, 100]]))?.confidence).not.toBe('high');
  });
});

describe('modes and confidence in the decision', () => {
  const high = () => correlate([ruleAlert(bulk(false)), ruleAlert(unexpected())])[0] as never;
  const medium = () => correlate([ruleAlert(bulk(false))])[0] as never;

  it('a detector with no mode is in audit: nothing is handed on', () => {
    const routed = routeFindings([high()], detectConfig({ modes: {} }));
    expect(routed).toMatchObject({ act: [], audit: [expect.anything()] });
  });

  it('the least acting mode of the detectors behind a finding applies', () => {
    const config = detectConfig({ modes: { 'bulk-read': 'contain', 'unexpected-network': 'audit' } });
    expect(routeFindings([high()], config).audit).toHaveLength(1);
  });

  it('alert mode hands findings on capped at medium', () => {
    const config = detectConfig({ modes: { 'bulk-read': 'alert', 'unexpected-network': 'alert' } });
    expect(routeFindings([high()], config).act[0]?.confidence).toBe('medium');
  });

  it('minConfidence high keeps medium findings as signals', () => {
    const routed = routeFindings([medium()], detectConfig({ minConfidence: 'high' }));
    expect(routed).toMatchObject({ act: [], signals: [expect.anything()] });
  });

  it('high contains; medium pins evidence and escalates, revoking nothing; low is ignored', () => {
    const config = detectConfig();
    const kinds = (a: Alert) => decide(a, config, { now, packs: PACKS }).actions.map((x) => x.kind);
    expect(kinds(high())).toContain('revoke-role-sessions');
    const m = decide(medium(), config, { now, packs: PACKS });
    expect(m.actions.map((x) => x.kind)).toEqual(['pin-objects', 'copy-evidence', 'escalate']);
    expect(m.reason).toMatch(/confidence medium, not high: humans must judge/);
    const low = correlate([ruleAlert(bulk(true))])[0] as Alert;
    expect(decide(low, config, { now, packs: PACKS })).toMatchObject({
      decision: 'ignore',
      reason: 'low confidence: kept as a signal only',
    });
  });
});

describe('docs/detection.md', () => {
  it('lists every row of the combination table with its confidence', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/detection.md'), 'utf8');
    for (const row of COMBINATIONS) expect(doc).toContain(`| ${row.name} |`);
    for (const row of COMBINATIONS)
      expect(doc.split('\n').find((l) => l.startsWith(`| ${row.name} |`))).toContain(`**${row.confidence}**`);
  });
});
