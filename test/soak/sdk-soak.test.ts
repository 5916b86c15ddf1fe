/**
 * The fault-injection soak over the real executors and SDK clients (run-sdk-soak.ts): the AWS
 * executors on S3/IAM clients over sim/aws, the Azure executors on the ARM SDK clients and the Blob
 * client over sim/azure, faults in every call and every journal write, invariants checked on the
 * simulated estate. `SOAK_SEED=n npx vitest run test/soak/sdk-soak.test.ts` replays a run.
 */
import { describe, expect, it } from 'vitest';
import { runSdkSoak } from './run-sdk-soak.ts';

const seed = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : Math.floor(Math.random() * 2 ** 31);

async function expectSound(options: { seed: number; incidents: number }) {
  const f = await runSdkSoak(options);
  const { problems, ...figures } = f;
  console.log(`sdk soak (SOAK_SEED=${options.seed}):`, JSON.stringify(figures));
  expect(f.incidents).toBe(options.incidents);
  expect(f.aws).toBeGreaterThan(options.incidents / 3);
  expect(f.azure).toBeGreaterThan(options.incidents / 3);
  expect(f.injectedFaults).toBeGreaterThan(options.incidents * 10);
  expect(f.releases).toBeGreaterThanOrEqual(f.incidents);
  expect(
    { problems: problems.slice(0, 10), seed: options.seed },
    `replay with SOAK_SEED=${options.seed}`,
  ).toEqual({
    problems: [],
    seed: options.seed,
  });
  expect([f.lost, f.doubled, f.inconsistentJournals, f.wrongRestores, f.protectedTouched]).toEqual([
    0, 0, 0, 0, 0,
  ]);
}

describe('fault-injection soak over the SDK clients', () => {
  it(`contains and releases 60 incidents exactly, whatever fails underneath (seed ${seed})`, async () => {
    await expectSound({ seed, incidents: 60 });
  }, 120_000);

  // Seeds on which each defect this soak found shows (a second evidence version after a timed-out
  // CopyObject, a second blob snapshot after a timed-out or killed createSnapshot, the quarantine
  // tag left when tagging is throttled on release, a release that never finished because every
  // retry wrote all role assignments again): kept, so a regression is caught on every run.
  it.each([1, 2, 3])(
    'seed %i, which caught each defect before its fix',
    async (fixed) => {
      await expectSound({ seed: fixed, incidents: 60 });
    },
    120_000,
  );
});
