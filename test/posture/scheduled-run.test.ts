import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { SecurityFinding } from '../../core/findings/finding.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { runScheduledPosture } from '../../core/posture/scheduled-run.ts';
import type { PostureSnapshot } from '../../core/posture/snapshot.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import { fakeCloud } from '../support/fake-executors.ts';
import { awsSnapshot, ENI, LOG_BUCKET, TRAIL } from './support/aws-snapshot.ts';

const config = awsConfig({
  aws: { ...awsConfig().aws, logBuckets: [LOG_BUCKET] },
  detect: { inferenceEndpoints: [ENI] },
});
const ocsf = new Ajv2020({ strict: true, strictRequired: false }).compile(
  JSON.parse(readFileSync('schema/findings/ocsf-finding.schema.json', 'utf8')),
);

function day(
  n: number,
  change: (aws: Record<string, Record<string, unknown>>) => void = () => {},
): PostureSnapshot {
  const s = awsSnapshot();
  s.takenAt = `2026-03-0${n}T06:00:00.000Z`;
  change(s.aws as Record<string, Record<string, unknown>>);
  return s;
}
const trailStopped = (aws: Record<string, Record<string, unknown>>) => {
  (aws['cloudtrail:GetTrailStatus'] as Record<string, unknown>)[TRAIL] = { IsLogging: false };
};

function deployment() {
  const store = memoryStore();
  const cloud = fakeCloud();
  const published: SecurityFinding[][] = [];
  const lines: Record<string, unknown>[] = [];
  const run = (snapshot: PostureSnapshot) =>
    runScheduledPosture({
      cloud: 'aws',
      config,
      checks: awsPostureChecks,
      collect: async () => snapshot,
      store,
      publish: async (findings) => {
        published.push(findings);
        return { published: findings.length, failed: [] };
      },
      log: (line) => lines.push(line),
      contain: {
        config,
        packs: PACKS,
        executors: cloud.executors,
        journal: incidentJournal(store),
        now: () => new Date(snapshot.takenAt),
      },
      productVersion: '0.1.0',
    });
  return { store, cloud, published, lines, run };
}

describe('the scheduled posture run', () => {
  it('keeps the first run as the baseline: findings, no alert', async () => {
    const d = deployment();
    const first = await d.run(day(1, trailStopped));
    expect(first).toMatchObject({ baseline: true, findings: 2, decisions: [] });
    expect(d.cloud.mutations()).toEqual([]);
    expect([...d.store.objects.keys()]).toEqual(['posture/aws/2026-03-01T06:00:00.000Z.json']);
  });

  it('escalates a check that passed yesterday and fails today, once, through the decision', async () => {
    const d = deployment();
    await d.run(day(1));
    const second = await d.run(day(2, trailStopped));
    expect(second.decisions.map((x) => [x.decision, x.playbook, x.actions.map((a) => a.kind)])).toEqual([
      ['contain', 'posture-regression', ['escalate']],
      ['contain', 'posture-regression', ['escalate']],
    ]);
    expect(second.decisions[0]?.alert).toMatchObject({
      source: 'posture',
      type: 'Posture:aws.cloudtrail-data-events',
      severity: 8,
      account: ACCOUNT,
    });
    expect(d.cloud.mutations().map((m) => m.kind)).toEqual(['escalate', 'escalate']);
    // The same day again (a retry): the same incidents, nothing repeated.
    await d.run({ ...day(2, trailStopped), takenAt: '2026-03-02T06:30:00.000Z' });
    expect(d.cloud.mutations()).toHaveLength(2);
  });

  it('does not escalate what is below minSeverity, but reports it as a finding', async () => {
    const d = deployment();
    await d.run(day(1));
    const second = await d.run(
      day(2, (aws) => {
        (aws['s3:GetBucketVersioning'] as Record<string, unknown>)['models-prod'] = { Status: 'Suspended' };
      }),
    );
    expect(second.decisions.map((x) => x.decision)).toEqual(['ignore']);
    expect(second.decisions[0]?.reason).toBe('severity 5 is below minSeverity 7');
    expect(d.published[0]?.map((f) => f.id)).toEqual([
      `tourniquet/posture/aws.s3-versioning/${ACCOUNT}/models-prod`,
    ]);
  });

  it('publishes a failure until it is fixed, then once as resolved, keeping when it first failed', async () => {
    const d = deployment();
    await d.run(day(1));
    await d.run(day(2, trailStopped));
    await d.run(day(3, trailStopped));
    await d.run(day(4));
    const states = d.published.map((batch) => batch.map((f) => `${f.state} ${f.firstSeenAt.slice(0, 10)}`));
    expect(states).toEqual([
      ['active 2026-03-02', 'active 2026-03-02'],
      ['active 2026-03-02', 'active 2026-03-02'],
      ['resolved 2026-03-02', 'resolved 2026-03-02'],
    ]);
    const activities = d.lines
      .filter((l) => l.msg === 'tourniquet.posture.finding')
      .map((l) => (l.ocsf as { activity_name: string }).activity_name);
    expect(activities).toEqual(['Create', 'Create', 'Update', 'Update', 'Close', 'Close']);
    for (const line of d.lines.filter((l) => l.ocsf)) expect(ocsf(line.ocsf)).toBe(true);
  });
});
