import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { ActionError, ContainmentFailedError } from '../../core/errors.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { containOneAlert } from '../../examples/usage/contain-one-alert.ts';
import { dryRunPlan } from '../../examples/usage/dry-run-plan.ts';
import { handleADelivery } from '../../examples/usage/handle-a-delivery.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every TSDoc `@example` in core that names its example file: `[source, example file, code lines]`. */
const quoting = files('core').flatMap((source) =>
  [
    ...readFileSync(source, 'utf8').matchAll(
      / \* @example\n \* \/\/ (examples\/\S+\.ts)\n((?: \*(?: .*)?\n)+?) \*\//g,
    ),
  ].map(
    (m) =>
      [
        source,
        m[1] ?? '',
        (m[2] ?? '')
          .split('\n')
          .map((l) => l.replace(/^ \* ?/, '').trim())
          .filter(Boolean),
      ] as const,
  ),
);

function world() {
  const cloud = fakeCloud();
  const deps = {
    packs: PACKS,
    executors: cloud.executors,
    journal: incidentJournal(memoryStore()),
    retry: instantRetry,
  };
  return { cloud, deps };
}

describe('the @examples of core', () => {
  it('include those of decide, respond, executePlan and handleParsedEvent', () => {
    expect(quoting.map(([source]) => source).sort()).toEqual(
      expect.arrayContaining(['core/decide.ts', 'core/execute-plan.ts', 'core/handle.ts', 'core/respond.ts']),
    );
  });

  it.each(quoting)('%s quotes %s line for line', (_source, example, lines) => {
    const text = readFileSync(example, 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(lines.filter((l) => !text.includes(l))).toEqual([]);
  });
});

describe('examples/usage', () => {
  it('contain-one-alert: contains once, every action applied', async () => {
    // Prepare
    const { cloud, deps } = world();
    // Act
    const { decision, report } = await containOneAlert(exfiltrationAlert(), awsConfig(), deps);
    // Assess
    expect(report?.status).toBe('contained');
    expect(report?.results.map((r) => r.outcome)).toEqual(decision.actions.map(() => 'applied'));
    expect(cloud.mutations()).toHaveLength(decision.actions.length);
  });

  it('contain-one-alert: throws the failure for the platform to retry', async () => {
    const { cloud, deps } = world();
    cloud.failNext('quarantine-bucket', 1, () => new ActionError('AccessDenied'));
    await expect(containOneAlert(exfiltrationAlert(), awsConfig(), deps)).rejects.toBeInstanceOf(
      ContainmentFailedError,
    );
  });

  it('dry-run-plan: every action skipped-dry-run, no call made', async () => {
    const { cloud } = world();
    const decision = decide(exfiltrationAlert(), awsConfig(), { now: new Date(), packs: PACKS });
    expect(await dryRunPlan(decision, cloud.executors)).toEqual([
      'a1 revoke-role-sessions skipped-dry-run',
      'a2 quarantine-bucket skipped-dry-run',
      'a3 pin-objects skipped-dry-run',
      'a4 copy-evidence skipped-dry-run',
      'a5 escalate skipped-dry-run',
    ]);
    expect(cloud.calls).toEqual([]);
  });

  it("handle-a-delivery: the README's GuardDuty event, contained with the example configuration", async () => {
    const { cloud, deps } = world();
    const config = parseConfig(JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')));
    const event = JSON.parse(readFileSync('examples/events/guardduty-s3-exfiltration.json', 'utf8'));
    expect(config.mode).toBe('enforce');
    expect(await handleADelivery(event, { ...deps, config })).toEqual(['contain']);
    expect(
      cloud
        .mutations()
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['copy-evidence', 'escalate', 'pin-objects', 'quarantine-bucket', 'revoke-role-sessions']);
  });
});
