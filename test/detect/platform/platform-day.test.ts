import { describe, expect, it } from 'vitest';
import { type AttackKind, generateDay, type PlatformDay } from './day.ts';
import { assertNoFalseContainments, type DayResult, formatResult, scanDay } from './harness.ts';

/** A day scaled down ten times in actors (per-actor rates and object sizes kept), 512 MiB ranges. */
const SEEDS = [1, 2, 3];
const OPTIONS = { scale: 0.1, rangeBytes: 512 * 1024 ** 2 };

/**
 * Share of each kind's attacks today's detectors find (any alert attributed to the attack's actor,
 * or to its principal when that principal is the attacker's own). Raise them, never lower them.
 * mass-deletion is 1: BATCH.DELETE.OBJECT access-log lines are read as deletes and found, and one
 * CloudTrail DeleteObjects call that names no key on a protected bucket is a bulk deletion of
 * unknown size (bulkDelete.maxBatchRequests 0; it was 0.5 while one call stayed under a limit of 1).
 * new-external-peer is 1: an early-day exfiltration (before the endpoint's baseline of external
 * flows has egress.minSamples) was missed while the batch consumer's internal GBs sat in that
 * baseline; internal peers now have their own history, and a new external peer far above every
 * earlier peer is a medium finding by itself.
 */
const RECALL_FLOORS: Record<AttackKind, number> = {
  'bulk-read-outside': 1,
  'stolen-session': 1,
  'first-reader': 1,
  'artifact-swap': 1,
  'artifact-copy': 1,
  'mass-deletion': 1,
  'new-external-peer': 1,
  'extraction-prompts': 1,
  'templated-probing': 1,
  'canary-in-response': 1,
  'secret-in-output': 1,
  'repeated-injection': 1,
  'anonymous-read': 1,
};

const days = new Map<number, PlatformDay>();
const results = new Map<number, DayResult>();
async function result(seed: number): Promise<DayResult> {
  let r = results.get(seed);
  if (!r) {
    const day = generateDay(seed, OPTIONS);
    days.set(seed, day);
    r = await scanDay(day);
    results.set(seed, r);
    console.log(formatResult(r));
  }
  return r;
}

describe('platform day generator', () => {
  it('is deterministic per seed and varies between seeds', () => {
    const a = generateDay(7, { ...OPTIONS, scale: 0.05 });
    const b = generateDay(7, { ...OPTIONS, scale: 0.05 });
    const c = generateDay(8, { ...OPTIONS, scale: 0.05 });
    expect(a.files.map((f) => f.text)).toEqual(b.files.map((f) => f.text));
    expect(c.files.map((f) => f.text).join('')).not.toEqual(a.files.map((f) => f.text).join(''));
  });

  it('injects every attack kind, with actors distinct from the benign ones', () => {
    const day = generateDay(5, { ...OPTIONS, scale: 0.05 });
    expect(new Set(day.attacks.map((a) => a.kind))).toEqual(new Set(Object.keys(RECALL_FLOORS)));
    const benign = new Set(day.benign.map((b) => b.actor));
    for (const a of day.attacks) expect(benign.has(a.actor), a.id).toBe(false);
    // Attacks hidden in shared identities: their principal is also a benign actor's.
    const principals = new Set(day.benign.map((b) => b.principal));
    const hidden = day.attacks.filter((a) => a.sharedPrincipal);
    expect(hidden.map((a) => a.kind)).toEqual(
      expect.arrayContaining(['stolen-session', 'extraction-prompts', 'repeated-injection']),
    );
    for (const a of hidden) expect(principals.has(a.principal), a.id).toBe(true);
  });
});

describe.each(SEEDS)('platform day, seed %i', (seed) => {
  it('every file is read as the format it was written in, nothing malformed', async () => {
    const r = await result(seed);
    expect(r.misSniffed).toEqual([]);
    expect(r.malformed).toBe(0);
    expect(r.records).toBeGreaterThan(10_000);
  });

  it('finds each attack kind at least as often as today', async () => {
    const r = await result(seed);
    for (const [kind, floor] of Object.entries(RECALL_FLOORS)) {
      const k = r.perKind[kind as AttackKind];
      expect(k, kind).toBeDefined();
      expect(
        k?.detected ?? 0,
        `${kind}: missed ${r.missed.filter((a) => a.kind === kind).map((a) => a.id)}`,
      ).toBeGreaterThanOrEqual(Math.ceil(floor * (k?.attacks ?? 0)));
    }
    expect(r.overall.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('no benign actor of any workload would be contained, whatever the detector', async () => {
    assertNoFalseContainments(await result(seed));
  });

  it('a true finding on a shared role cuts off the attacking session only: no benign session loses access', async () => {
    const r = await result(seed);
    // The day does revoke a shared role (the stolen fleet session): 18-24 benign sessions share it.
    expect(r.collateral).toBeGreaterThan(10);
    expect(r.cutOff).toEqual([]);
  });
});
