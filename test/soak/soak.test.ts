/**
 * The fault-injection soak: ≥ 200 incidents, AWS and Azure, duplicates delivered concurrently and
 * out of order, throttling / 5xx / timeouts after the change / process death in every call, releases
 * racing a late redelivery; then the invariants. `SOAK_SEED=n npx vitest run test/soak` replays a run.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from './run-soak.ts';

const seed = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('fault-injection soak', () => {
  it(`loses nothing, doubles nothing, keeps every journal whole (seed ${seed})`, async () => {
    const f = await runSoak({ seed, incidents: 200 });
    const { problems, ...figures } = f;
    console.log(`soak (SOAK_SEED=${seed}):`, JSON.stringify(figures));
    expect(f.incidents).toBeGreaterThanOrEqual(200);
    expect(f.aws).toBeGreaterThan(50);
    expect(f.azure).toBeGreaterThan(50);
    expect(f.faults.throttle).toBeGreaterThan(0);
    expect(f.faults.death).toBeGreaterThan(0);
    expect(f.faults.timeoutAfterChange).toBeGreaterThan(0);
    expect(f.releases).toBeGreaterThan(0);
    expect({ problems: problems.slice(0, 10), seed }, `replay with SOAK_SEED=${seed}`).toEqual({
      problems: [],
      seed,
    });
    expect([
      f.lost,
      f.doubled,
      f.inconsistentJournals,
      f.wrongRestores,
      f.protectedTouched,
      f.lateChanges,
    ]).toEqual([0, 0, 0, 0, 0, 0]);
  }, 120_000);

  it('catches a cloud that applies twice and one whose recorded before-state is wrong', async () => {
    const twice = await runSoak({ seed: 7, incidents: 40, sabotage: 'not-idempotent' });
    expect(twice.doubled).toBeGreaterThan(0);
    const wrong = await runSoak({ seed: 7, incidents: 40, sabotage: 'wrong-before' });
    expect(wrong.inconsistentJournals).toBeGreaterThan(0);
    expect(wrong.wrongRestores).toBeGreaterThan(0);
  }, 120_000);
});
