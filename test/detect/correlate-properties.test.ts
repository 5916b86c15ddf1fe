import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert, PrincipalRef } from '../../core/alert.ts';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { correlate, findingsOf, groupSignals } from '../../core/detect/correlate.ts';
import { detectorAlert } from '../../core/detect/detector-alert.ts';
import { type Signal, signalOf } from '../../core/detect/signals.ts';
import { ACCOUNT, SUBSCRIPTION } from './detect-config.ts';

// The indexed grouping against the plain one written here: every principal-wide signal walks every
// group and joins those holding a signal of its principal.

function referenceGroups(signals: readonly Signal[]): Signal[][] {
  const groups = new Map<string, Signal[]>();
  const push = (key: string, s: Signal) => {
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  };
  const wide = signals.filter((s) => s.scope === 'principal');
  for (const s of signals) if (s.scope !== 'principal') push(`${s.alert.cloud}|${s.actor}`, s);
  for (const s of wide) {
    const id = s.alert.principal?.id;
    const joined = [...groups.values()].filter((g) => g.some((x) => x.alert.principal?.id === id));
    if (joined.length) for (const g of joined) g.push(s);
    else push(`${s.alert.cloud}|principal|${id}`, s);
  }
  return [...groups.values()];
}

const ROLES = ['fleet', 'trainer', 'web'];
const roleArn = (r: string) => `arn:aws:iam::${ACCOUNT}:role/${r}`;
const sessionArn = (r: string, s: number) => `arn:aws:sts::${ACCOUNT}:assumed-role/${r}/s${s}`;

function principal(role: string | null, session: number): PrincipalRef | null {
  if (role === null) return null;
  return {
    id: roleArn(role),
    kind: 'role',
    account: ACCOUNT,
    aliases: [{ type: 'session-arn', value: sessionArn(role, session) }],
    certain: true,
  };
}

const RULES = {
  'bulk-read': T.bulkRead,
  'unexpected-network': T.unexpectedNetwork,
  'first-reader': T.firstReader,
  'request-rate': T.requestRate,
  'canary-token': T.canaryToken,
} as const;

/** A rule alert of one of a few principals and sessions, some without a principal, in either cloud. */
const ruleAlert = fc
  .record({
    rule: fc.constantFrom(...(Object.keys(RULES) as (keyof typeof RULES)[])),
    role: fc.option(fc.constantFrom(...ROLES), { freq: 6 }),
    session: fc.integer({ min: 0, max: 5 }),
    // A source address shared by several principals (one group, mixed principals), and an actor
    // named as a principal-wide group's key would be, to meet it head on.
    actor: fc.constantFrom<'session' | 'address' | 'principal-key' | 'none'>(
      'session',
      'session',
      'address',
      'principal-key',
      'none',
    ),
    cloud: fc.constantFrom<'aws' | 'azure'>('aws', 'aws', 'azure'),
    severity: fc.integer({ min: 1, max: 9 }),
    ip: fc.constantFrom('198.51.100.7', '203.0.113.9', '192.0.2.1'),
    at: fc.integer({ min: 0, max: 3 }),
  })
  .map((r): Alert => {
    const p = principal(r.role, r.session);
    const actor =
      r.actor === 'session' && r.role
        ? { actor: sessionArn(r.role, r.session) }
        : r.actor === 'address'
          ? { actor: r.ip }
          : r.actor === 'principal-key'
            ? { actor: `principal|${r.role ? roleArn(r.role) : 'undefined'}` }
            : {};
    return detectorAlert({
      rule: r.rule,
      type: RULES[r.rule],
      severity: r.severity,
      cloud: r.cloud,
      account: r.cloud === 'aws' ? ACCOUNT : SUBSCRIPTION,
      principal: p,
      resources: [{ kind: 'bucket', id: `arn:aws:s3:::models-${r.at}` }],
      observedAt: Date.UTC(2026, 10, 25, 10, r.at),
      subject: p?.id ?? 'none',
      window: r.at,
      title: r.rule,
      evidence: { ...actor, origins: [r.ip], requests: 10, maxRequests: 5, objects: 3, bytes: 1e9 },
    });
  });

const signalsOf = (alerts: readonly Alert[]) => alerts.map(signalOf).filter((s): s is Signal => !!s);

describe('correlate grouping (indexed by principal)', () => {
  it('makes the same groups, with the same signals in the same order, as the plain reference', () => {
    fc.assert(
      fc.property(fc.array(ruleAlert, { maxLength: 40 }), (alerts) => {
        const signals = signalsOf(alerts);
        expect(groupSignals(signals)).toEqual(referenceGroups(signals));
      }),
      { numRuns: 400, seed: 1 },
    );
  });

  it('gives the same findings as the reference grouping', () => {
    fc.assert(
      fc.property(fc.array(ruleAlert, { maxLength: 40 }), (alerts) => {
        expect(correlate(alerts)).toEqual(findingsOf(referenceGroups(signalsOf(alerts))));
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it('joins a first-reader to every session of its principal and to no other', () => {
    const alerts: Alert[] = [];
    const session = (role: string, s: number, rule: keyof typeof RULES) =>
      detectorAlert({
        rule,
        type: RULES[rule],
        severity: 8,
        cloud: 'aws',
        account: ACCOUNT,
        principal: principal(role, s),
        resources: [],
        observedAt: Date.UTC(2026, 10, 25, 10),
        subject: roleArn(role),
        window: 0,
        title: rule,
        evidence: { actor: sessionArn(role, s) },
      });
    for (let s = 0; s < 1000; s++) alerts.push(session('fleet', s, 'bulk-read'));
    alerts.push(session('web', 0, 'bulk-read'), session('fleet', 0, 'first-reader'));
    const groups = groupSignals(signalsOf(alerts));
    expect(groups).toHaveLength(1001);
    expect(groups.filter((g) => g.some((s) => s.kind === 'first-reader'))).toHaveLength(1000);
    expect(groups.find((g) => g[0]?.actor === sessionArn('web', 0))?.map((s) => s.kind)).toEqual([
      'bulk-volume',
    ]);
  });
});
