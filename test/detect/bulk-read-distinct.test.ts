import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import { PACKS } from '../../packs/index.ts';
import { type AwsIdentity, cloudTrailEvent, cloudTrailFile, sessionArn } from './platform/emit-aws.ts';
import { platformConfig } from './platform/harness.ts';
import { SHARDS, WEIGHTS_BUCKET } from './platform/workloads.ts';

const T0 = Date.parse('2026-11-25T02:00:00Z');
const MiB = 1024 ** 2;
const THIEF = { type: 'role', role: 'ci-deploy-role', session: 'i-0stolen' } as const;
const ANALYST = { type: 'role', role: 'ci-deploy-role', session: 'analyst-notebook' } as const;

/** GetObject events for `keys`, each read in `ranges` ranged GETs of `rangeBytes`, from `ip`. */
function reads(
  who: AwsIdentity,
  keys: readonly string[],
  ranges: number,
  rangeBytes: number,
  ip: string,
  from = 0,
) {
  const events = [];
  let n = from;
  for (const key of keys)
    for (let r = 0; r < ranges; r++)
      events.push(
        cloudTrailEvent({
          at: T0 + n * 1000,
          who,
          op: 'GetObject',
          bucket: WEIGHTS_BUCKET,
          keys: [key],
          bytes: rangeBytes,
          ip,
          n: ++n,
        }),
      );
  return events;
}

/** Scans the files one after the other in one session, as the scan function does with one store. */
async function scan(files: readonly Record<string, unknown>[][]): Promise<Alert[]> {
  const session = createScanSession(platformConfig(), memoryWindowStore(), { packs: PACKS });
  const alerts: Alert[] = [];
  for (const events of files)
    alerts.push(
      ...(
        await session.scan(
          (async function* () {
            yield Buffer.from(cloudTrailFile(events));
          })(),
        )
      ).alerts,
    );
  return alerts;
}

const bulkOf = (alerts: Alert[], who: { role: string; session: string }) =>
  alerts.filter(
    (a) =>
      a.actor?.id === sessionArn(who.role, who.session) &&
      (a.context.rules as string[] | undefined)?.includes('bulk-read'),
  );
const contained = (a: Alert) =>
  decide(a, platformConfig(), { now: new Date(a.observedAt), packs: PACKS }).actions.some(
    (x) => x.category === 'revoke' || x.category === 'quarantine',
  );

describe('bulk-read counts distinct objects, not requests', () => {
  it('one object re-read 200 times in 1 MiB ranges is not bulk (200 requests, 1 object, 200 MiB)', async () => {
    const alerts = await scan([reads(ANALYST, [SHARDS[0] as string], 200, MiB, '10.20.1.15')]);
    expect(bulkOf(alerts, ANALYST)).toEqual([]);
  });

  it('30 distinct shards in 4 small ranged GETs each, from a public address: bulk by objects, high, contained', async () => {
    const alerts = await scan([reads(THIEF, SHARDS, 4, 8 * MiB, '203.0.113.50')]);
    const [a, ...rest] = bulkOf(alerts, THIEF);
    expect(rest).toEqual([]);
    expect(a?.confidence).toBe('high');
    expect(a && contained(a)).toBe(true);
    expect(a?.signals?.join('; ')).toMatch(/more than 25 weight objects \(120 reads\)/);
  });

  it('distinct objects add up across log files in one window (15 shards, then 15 more)', async () => {
    const first = reads(THIEF, SHARDS.slice(0, 15), 2, 8 * MiB, '203.0.113.50');
    const second = reads(THIEF, SHARDS.slice(15), 2, 8 * MiB, '203.0.113.50', first.length);
    const alerts = await scan([first, second]);
    expect(bulkOf(alerts, THIEF).map((a) => a.confidence)).toContain('high');
  });

  it('the same 15 shards read twice over two files are 15 objects, not 30: not bulk', async () => {
    const first = reads(THIEF, SHARDS.slice(0, 15), 1, 8 * MiB, '203.0.113.50');
    const second = reads(THIEF, SHARDS.slice(0, 15), 1, 8 * MiB, '203.0.113.50', first.length);
    const alerts = await scan([first, second]);
    expect(bulkOf(alerts, THIEF)).toEqual([]);
  });
});
