import { describe, expect, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { files, flagged, runDetectors } from './run-detectors.ts';
import { egressHour } from './traffic/flow-traffic.ts';
import { inferenceWindow } from './traffic/inference-traffic.ts';
import { prng } from './traffic/prng.ts';
import { score } from './traffic/score.ts';
import { T0, weightsHour } from './traffic/weights-traffic.ts';

const TRAINING = `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`;
const FLEET_READER = `arn:aws:iam::${ACCOUNT}:role/llm-inference-role`;
const FLEET_CALLER = `arn:aws:iam::${ACCOUNT}:role/chat-app-role`;

describe('detectors on generated traffic with injected attacks', () => {
  it('bulk weight reads: flags the bulk readers, not the training job or the inference fleet', async () => {
    const { records, attackers, stealthy } = weightsHour(prng(1), { attackers: 6, stealthy: 1 });
    const { alerts: all } = await runDetectors(detectConfig(), files(records, 5));
    // Known readers within their networks raise only a trusted (low) signal.
    const trusted = flagged(
      all.filter((a) => (a.context.evidence as { trusted?: boolean }).trusted),
      T.bulkRead,
    );
    expect([TRAINING, FLEET_READER]).toEqual(expect.arrayContaining(trusted));
    const alerts = all.filter((a) => !(a.context.evidence as { trusted?: boolean }).trusted);
    const got = flagged(alerts, T.bulkRead);
    // The stealthy reader stays under the threshold: recall 6/7 is the honest figure for this rule.
    score('bulk-read', got, [...attackers, ...stealthy], { precision: 1, recall: 0.85 });
    expect(got).not.toContain(TRAINING);
    expect(got).not.toContain(FLEET_READER);
    const one = alerts.find((a) => a.type === T.bulkRead);
    expect(one?.context.evidence).toMatchObject({
      crossed: expect.stringMatching(/bytes|objects/),
      maxBytes: 5 * 1024 ** 3,
      knownReader: false,
    });
    expect(one?.resources[0]).toEqual({ kind: 'bucket', id: 'arn:aws:s3:::models-prod' });
  });

  it('bulk weight reads: a window that only crosses the threshold across files still alerts', async () => {
    const { records, attackers } = weightsHour(prng(2), { attackers: 2 });
    const perRecord = records.map((r) => [r]);
    const { alerts } = await runDetectors(detectConfig(), perRecord);
    const untrusted = alerts.filter((a) => !(a.context.evidence as { trusted?: boolean }).trusted);
    score('bulk-read (one record per file)', flagged(untrusted, T.bulkRead), attackers, {
      precision: 1,
      recall: 1,
    });
  });

  it('first-ever weight readers: silent for readers seen before, flags the new ones', async () => {
    const rng = prng(3);
    const state = memoryWindowStore();
    const learning = weightsHour(rng, { attackers: 0 });
    const config = detectConfig({ knownReaders: [] });
    const first = await runDetectors(config, [learning.records], state);
    expect(flagged(first.alerts, T.firstReader).sort()).toEqual([FLEET_READER, TRAINING].sort());
    const next = weightsHour(rng, { start: T0 + 3_600_000, attackers: 4 });
    const { alerts } = await runDetectors(config, files(next.records, 3), state);
    score('first-reader', flagged(alerts, T.firstReader), next.attackers, { precision: 1, recall: 1 });
  });

  it('weight reads from outside the expected networks: flags public addresses, not the VPC endpoint or 10.20/16', async () => {
    const { records, attackers, stealthy } = weightsHour(prng(4), { attackers: 5, stealthy: 2 });
    const { alerts } = await runDetectors(detectConfig(), [records]);
    score('unexpected-network', flagged(alerts, T.unexpectedNetwork), [...attackers, ...stealthy], {
      precision: 1,
      recall: 1,
    });
    expect(
      flagged(
        (await runDetectors(detectConfig({ expectedNetworks: [] }), [records])).alerts,
        T.unexpectedNetwork,
      ),
    ).toEqual([]);
  });

  it('inference egress: big flows and high-volume peers stand out of the median/MAD baseline', async () => {
    const rng = prng(5);
    const state = memoryWindowStore();
    const config = detectConfig();
    const learning = await runDetectors(config, [egressHour(rng, T0).records], state);
    expect(learning.alerts).toEqual([]);
    const hour = egressHour(rng, T0 + 3_600_000, { bigFlows: 3, volumePeers: 2 });
    const { alerts } = await runDetectors(config, files(hour.records, 4), state);
    score('egress-volume', flagged(alerts, T.egressVolume), hour.attackers, { precision: 1, recall: 1 });
    score('new-external-peer', flagged(alerts, T.newExternalPeer), hour.attackers, {
      precision: 1,
      recall: 1,
    });
    const big = alerts.find(
      (a) =>
        a.type === T.egressVolume &&
        a.context.evidence &&
        (a.context.evidence as { scope: string }).scope === 'flow',
    );
    expect(big?.context.evidence).toMatchObject({
      endpoint: 'eni-0f1e2d3c4b5a69788|10.20.1.15',
      z: expect.any(Number),
      zThreshold: 6,
      baselineSamples: expect.any(Number),
    });
    expect(big?.principal).toMatchObject({ certain: false, aliases: [{ type: 'ip' }] });
  });

  it('inference egress: another hour of ordinary traffic raises nothing', async () => {
    const rng = prng(6);
    const state = memoryWindowStore();
    await runDetectors(detectConfig(), [egressHour(rng, T0).records], state);
    const { alerts } = await runDetectors(
      detectConfig(),
      files(egressHour(rng, T0 + 3_600_000).records, 3),
      state,
    );
    expect(alerts).toEqual([]);
  });

  describe('inference logs', async () => {
    const config = detectConfig({ knownCallers: [`arn:aws:sts::${ACCOUNT}:assumed-role/chat-app-role/*`] });
    const { records, truth } = inferenceWindow(prng(7), T0);
    const { alerts } = await runDetectors(config, files(records, 6));

    it.each([
      ['request-rate', T.requestRate, truth.rate],
      ['varied-prompts', T.variedPrompts, truth.varied],
      ['extraction-prompts', T.extractionPrompts, truth.extraction],
      ['prompt-injection', T.promptInjection, truth.injection],
      ['canary-token', T.canaryToken, truth.canary],
      ['secret-output', T.secretOutput, truth.secret],
    ])('%s: flags the injected callers only', (rule, type, attackers) => {
      score(rule, flagged(alerts, type), attackers, { precision: 1, recall: 1 });
    });

    it('keeps the serving fleet quiet on every rule', () => {
      expect(alerts.filter((a) => a.principal?.id === FLEET_CALLER)).toEqual([]);
    });

    it('says why: the figures and the threshold they crossed', () => {
      // Each file's flush re-raises the window with its totals so far; the last one has them all.
      const varied = alerts.findLast((a) => a.type === T.variedPrompts);
      expect(varied?.context.evidence).toMatchObject({
        prompts: 120,
        minPrompts: 40,
        minRatio: 0.5,
        ratio: expect.any(Number),
      });
      expect((varied?.context.evidence as { ratio?: number } | undefined)?.ratio).toBeGreaterThanOrEqual(0.5);
      const canary = alerts.find((a) => a.type === T.canaryToken);
      expect(JSON.stringify(canary)).not.toContain('CANARY-7f3a9c2e1b');
    });

    it('without knownCallers the fleet is a rate outlier, which shows the rate rule is live', async () => {
      const bare = await runDetectors(detectConfig(), files(records, 2));
      expect(flagged(bare.alerts, T.requestRate)).toContain(FLEET_CALLER);
    });
  });
});
