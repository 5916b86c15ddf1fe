import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { BYTES_BINS, emptyBaseline, judge, learn, OBJECTS_BINS } from '../../core/detect/baseline.ts';
import { loadBaselines, saveBaselines } from '../../core/detect/baseline-store.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { addAll, MAX_COUNTERS_PER_KEY, readAll, type WindowStore } from '../../core/detect/window-store.ts';
import { dynamoDbWindowStore } from '../../functions-aws/detect/dynamodb-window-store.ts';
import { tableWindowStore } from '../../functions-azure/detect/table-window-store.ts';
import { detectConfig } from './detect-config.ts';
import { flagged, runDetectors } from './run-detectors.ts';
import { iamUser } from './traffic/principals.ts';
import { read, shard, T0 } from './traffic/weights-traffic.ts';

const expiry = new Date('2026-11-27T00:00:00Z');
let tables = 0;

/** Each factory returns a fresh, empty store; `another` a second client on the same storage (another invocation). */
type Factory = () => Promise<{ store: WindowStore; another: () => WindowStore }>;

const dynamo: Factory = async () => {
  const client = () =>
    new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  const table = `tourniquet-scan-${++tables}-${Date.now()}`;
  await client().send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }),
  );
  return { store: dynamoDbWindowStore(client(), table), another: () => dynamoDbWindowStore(client(), table) };
};

const azureTable: Factory = async () => {
  const { connectionString } = inject('azurite');
  const name = `tqscan${++tables}${Date.now()}`;
  const client = () =>
    TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
  await client().createTable();
  return { store: tableWindowStore(client()), another: () => tableWindowStore(client()) };
};

const memory: Factory = async () => {
  const store = memoryWindowStore();
  return { store, another: () => store };
};

describe.each([
  ['memory', memory, true],
  ['DynamoDB (dynalite)', dynamo, false],
  ['Azure Table storage (Azurite)', azureTable, true],
])('WindowStore on %s', (_name, make, capped) => {
  it('adds counters and returns the totals so far, large byte counts exact', async () => {
    const { store } = await make();
    expect(
      await store.add(
        'bulk-read|arn:aws:iam::111122223333:role/x|1764064800000',
        { bytes: 4294967296, objects: 1 },
        expiry,
      ),
    ).toEqual({ bytes: 4294967296, objects: 1 });
    expect(
      await store.add(
        'bulk-read|arn:aws:iam::111122223333:role/x|1764064800000',
        { bytes: 4294967296, objects: 2 },
        expiry,
      ),
    ).toEqual({ bytes: 8589934592, objects: 3 });
    expect(
      await store.add('bulk-read|arn:aws:iam::111122223333:role/y|1764064800000', { objects: 1 }, expiry),
    ).toEqual({ objects: 1 });
  });

  it('loses no count when many writers add to the same window at once', async () => {
    const { another } = await make();
    const writers = Array.from({ length: 6 }, () => another());
    await Promise.all(
      Array.from({ length: 48 }, (_, i) =>
        writers[i % writers.length]?.add('w|hot', { requests: 1, tokens: i }, expiry),
      ),
    );
    expect(await another().add('w|hot', { requests: 0 }, expiry)).toEqual({
      requests: 48,
      tokens: (47 * 48) / 2,
    });
  });

  it('adds a flush batch (250 windows, some already there) and returns every window its totals', async () => {
    const { store } = await make();
    await store.add('flush|k7', { objects: 5 }, expiry);
    const items = Array.from({ length: 250 }, (_, i) => ({
      key: `flush|k${i}`,
      deltas: { objects: 1, bytes: i * 1024 ** 3 },
      expiresAt: expiry,
    }));
    const totals = await addAll(store, items);
    expect(totals).toHaveLength(250);
    expect(totals[7]).toEqual({ objects: 6, bytes: 7 * 1024 ** 3 });
    expect(totals[249]).toEqual({ objects: 1, bytes: 249 * 1024 ** 3 });
    expect(await store.add('flush|k200', {}, expiry)).toEqual({ objects: 1, bytes: 200 * 1024 ** 3 });
  });

  it('reads 150 keys back (readAll, batched where the store can), a repeated key twice, a missing key empty', async () => {
    const { store, another } = await make();
    const items = Array.from({ length: 150 }, (_, i) => ({
      key: `read|k${i}`,
      deltas: { n: i, m: 1 },
      expiresAt: expiry,
    }));
    await addAll(store, items);
    const keys = [...items.map((i) => i.key), 'read|k3', 'read|never'];
    expect(await readAll(another(), keys, expiry)).toEqual([
      ...items.map((i) => ({ n: i.deltas.n, m: 1 })),
      { n: 3, m: 1 },
      {},
    ]);
  });

  it('loses no count when batched flushes of the same windows race each other and single adds', async () => {
    const { another } = await make();
    const keys = Array.from({ length: 120 }, (_, i) => `race|k${i}`);
    const batch = keys.map((key) => ({ key, deltas: { n: 1 }, expiresAt: expiry }));
    await Promise.all([
      ...Array.from({ length: 4 }, () => addAll(another(), batch)),
      ...keys.slice(0, 30).map((key) => another().add(key, { n: 1 }, expiry)),
    ]);
    const after = await addAll(
      another(),
      batch.map((b) => ({ ...b, deltas: { n: 0 } })),
    );
    expect(after.map((t) => t.n)).toEqual(keys.map((_, i) => (i < 30 ? 5 : 4)));
  });

  it('remembers a member once: exactly one of many concurrent writers sees it as new', async () => {
    const { another } = await make();
    const firsts = await Promise.all(
      Array.from({ length: 12 }, () =>
        another().remember('weight-readers', 'arn:aws:iam::111122223333:user/eve'),
      ),
    );
    expect(firsts.filter(Boolean)).toHaveLength(1);
    expect(await another().remember('weight-readers', 'arn:aws:iam::111122223333:user/other')).toBe(true);
  });

  it('keeps keys with slashes, hashes and very long ARNs apart', async () => {
    const { store } = await make();
    const long = `k|${'a/#?\\'.repeat(400)}`;
    await store.add(long, { n: 1 }, expiry);
    expect(await store.add(`${long}x`, { n: 5 }, expiry)).toEqual({ n: 5 });
    expect(await store.add(long, { n: 1 }, expiry)).toEqual({ n: 2 });
  });

  it(`${capped ? 'drops new counters beyond' : 'keeps counters beyond'} what an Azure Table entity holds (252 properties), never failing the add`, async () => {
    const { store, another } = await make();
    const full = Object.fromEntries(Array.from({ length: MAX_COUNTERS_PER_KEY }, (_, i) => [`c${i}`, i]));
    expect(Object.keys(await store.add('wide|k', full, expiry))).toHaveLength(MAX_COUNTERS_PER_KEY);
    // A full key still counts what it holds; a name it does not hold yet is dropped (Azure would refuse the entity).
    const more = await store.add('wide|k', { c0: 5, c250: 1 }, expiry);
    expect(more.c0).toBe(5);
    if (capped) expect(more).not.toHaveProperty('c250');
    else expect(more.c250).toBe(1);
    const batched = await addAll(another(), [
      { key: 'wide|k', deltas: { c1: 1, c251: 1 }, expiresAt: expiry },
    ]);
    expect(batched[0]?.c1).toBe(2);
    expect(Object.keys(batched[0] ?? {})).toHaveLength(capped ? MAX_COUNTERS_PER_KEY : 252);
  });

  it('stores a baseline of every hour of the week, every bin and 32 networks and reloads it equal', async () => {
    const { store, another } = await make();
    const actor = 'arn:aws:iam::111122223333:user/everywhere';
    const now = new Date('2026-12-07T10:00:00Z');
    const learned = emptyBaseline();
    const sum: Record<string, number> = {};
    // A window at the centre of every bin up to 2^54 (bytes and objects), each hour of the week, 40 /24s.
    for (let bin = 0; bin <= 54 * 8; bin++) {
      const size = Math.round(2 ** ((bin - 0.5) / 8));
      const delta = learn(learned, {
        bytes: size,
        objects: size,
        addresses: [`10.0.${bin % 40}.1`],
        start: new Date(Date.UTC(2026, 10, 23, bin % 168)),
      });
      for (const [k, v] of Object.entries(delta)) sum[k] = (sum[k] ?? 0) + v;
    }
    // Unclamped in one key (before the split into four) this was 1,031 counters: Azure holds 252.
    expect([learned.hours.size, learned.networks.size, learned.bytes.size]).toEqual([168, 32, 250]);
    expect([Math.min(...learned.bytes.keys()), Math.max(...learned.bytes.keys())]).toEqual([
      BYTES_BINS.min,
      BYTES_BINS.max,
    ]);
    expect(Math.max(...learned.objects.keys())).toBe(OBJECTS_BINS.max);
    await saveBaselines(store, new Map([[actor, sum]]), now);
    expect((await loadBaselines(another(), [actor], now, 10)).get(actor)).toEqual(learned);
  });

  it('persists an actor baseline learned by one scan and reloads it in a second invocation', async () => {
    const { store, another } = await make();
    const actor = 'arn:aws:sts::111122223333:assumed-role/trainer/i-0abc';
    const now = new Date('2026-12-07T10:00:00Z');
    const learned = emptyBaseline();
    const deltas = new Map<string, Record<string, number>>();
    for (let d = 0; d < 12; d++) {
      const window = {
        bytes: 200e9 + d * 1e9,
        objects: 40,
        addresses: ['10.1.2.7', '2001:db8:1:2::5'],
        start: new Date(Date.UTC(2026, 10, 23 + (d % 5), 9)),
      };
      const delta = learn(learned, window);
      const sum = deltas.get(actor) ?? {};
      for (const [k, v] of Object.entries(delta)) sum[k] = (sum[k] ?? 0) + v;
      deltas.set(actor, sum);
    }
    expect((await loadBaselines(store, [actor], now, 10)).get(actor)?.windows).toBe(0);
    await saveBaselines(store, deltas, now);
    const reloaded = (await loadBaselines(another(), [actor], now, 10)).get(actor);
    expect(reloaded).toEqual(learned);
    expect(reloaded?.networks).toEqual(
      new Map([
        ['10.1.2.0/24', 12],
        ['2001:db8:1::/48', 12],
      ]),
    );
    const night = {
      bytes: 5e12,
      objects: 40,
      addresses: ['198.51.100.7'],
      start: new Date('2026-11-28T03:00:00Z'),
    };
    expect(judge(reloaded ?? emptyBaseline(), night).map((f) => f.rule)).toEqual([
      'above-own-baseline',
      'new-network',
      'unusual-hours',
    ]);
  });

  it("learns an actor's baseline through one invocation's scan and judges with it in another", async () => {
    const { store, another } = await make();
    const config = detectConfig();
    const analyst = iamUser('analyst');
    const GiB = 1024 ** 3;
    // One file a weekday: 4 shards of 1 GiB at 09:00 from 10.20.3.7 (inside the expected networks),
    // under the absolute limits (5 GiB, 25 objects) of a reader with no profile.
    const day = (start: number, objects: number, ip: string) =>
      Array.from({ length: objects }, (_, i) =>
        read(start + (i + 1) * 60_000, analyst, shard(i), GiB, { ip }),
      );
    const weekdays = [23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 37].map((d) => Date.UTC(2026, 10, d, 9));
    const learning = await runDetectors(
      config,
      weekdays.map((d) => day(d, 4, '10.20.3.7')),
      store,
    );
    expect(flagged(learning.alerts, T.aboveOwnBaseline)).toEqual([]);
    const learned = (await loadBaselines(another(), [analyst.id], new Date(weekdays[10] as number), 10)).get(
      analyst.id,
    );
    expect(learned?.windows).toBe(11);
    expect(learned?.networks).toEqual(new Map([['10.20.3.0/24', 11]]));
    // Another invocation, another client: a normal Tuesday is nothing of its own baseline…
    const tuesday = await runDetectors(config, [day(Date.UTC(2026, 11, 8, 9), 4, '10.20.3.7')], another());
    expect(tuesday.alerts.map((a) => a.type)).toEqual([]);
    // …a Sunday-night read of 30 shards from a network it never used is judged against its own.
    const sunday = await runDetectors(config, [day(Date.UTC(2026, 11, 13, 3), 30, '10.20.9.44')], another());
    expect(sunday.alerts.map((a) => [a.type, a.context.evidence])).toEqual([
      [
        T.aboveOwnBaseline,
        expect.objectContaining({ objects: 30, bytes: 30 * GiB, medianObjects: 4, windows: 12 }),
      ],
      [
        T.newNetwork,
        expect.objectContaining({ networks: ['10.20.9.0/24'], known: ['10.20.3.0/24'], windows: 12 }),
      ],
      [T.unusualHours, expect.objectContaining({ hourOfWeek: 6 * 24 + 3, windows: 12 })],
      // A reader with no profile stays judged against the absolute limits too.
      [T.bulkRead, expect.objectContaining({ crossed: 'bytes', knownReader: false, trusted: false })],
    ]);
  });

  it('carries a bulk-read window across log files scanned by different invocations', async () => {
    const { another } = await make();
    const config = detectConfig();
    const eve = iamUser('eve');
    // 4 × 2 GiB = 8 GiB in the hour, but each file holds 4 GiB: under the 5 GiB threshold alone.
    const file = (first: number) =>
      [first, first + 1].map((i) =>
        read(T0 + i * 60_000, eve, shard(i), 2 * 1024 ** 3, { ip: '198.51.100.7' }),
      );
    const alone = await runDetectors(config, [file(1)]);
    expect(flagged(alone.alerts, T.bulkRead)).toEqual([]);
    const [first, second] = await Promise.all([
      runDetectors(config, [file(1)], another()),
      runDetectors(config, [file(3)], another()),
    ]);
    const raised = [...(first?.alerts ?? []), ...(second?.alerts ?? [])].filter((a) => a.type === T.bulkRead);
    expect(raised.map((a) => a.principal?.id)).toEqual([eve.id]);
    expect(raised[0]?.context.evidence).toMatchObject({ bytes: 8 * 1024 ** 3, objects: 4, crossed: 'bytes' });
  });
});

describe('Azure Table window store batches', () => {
  it('writes a flush of 250 windows in 3 transactions, no row-by-row writes', async () => {
    const { connectionString } = inject('azurite');
    const client = TableClient.fromConnectionString(connectionString, `tqbatch${Date.now()}`, {
      allowInsecureConnection: true,
    });
    await client.createTable();
    const calls = { transactions: 0, single: 0 };
    const submit = client.submitTransaction.bind(client);
    client.submitTransaction = (actions) => {
      calls.transactions++;
      expect(actions.length).toBeLessThanOrEqual(100);
      return submit(actions);
    };
    const create = client.createEntity.bind(client);
    client.createEntity = (entity, options) => {
      calls.single++;
      return create(entity, options);
    };
    const store = tableWindowStore(client);
    const items = Array.from({ length: 250 }, (_, i) => ({
      key: `b|${i}`,
      deltas: { n: i },
      expiresAt: expiry,
    }));
    expect((await addAll(store, items)).map((t) => t.n)).toEqual(items.map((i) => i.deltas.n));
    expect(calls).toEqual({ transactions: 3, single: 0 });
    expect((await addAll(store, items)).map((t) => t.n)).toEqual(items.map((i) => 2 * i.deltas.n));
    expect(calls).toEqual({ transactions: 6, single: 0 });
  });

  it('reads rows back (getMany) without writing any: no create, update or transaction', async () => {
    const { connectionString } = inject('azurite');
    const client = TableClient.fromConnectionString(connectionString, `tqread${Date.now()}`, {
      allowInsecureConnection: true,
    });
    await client.createTable();
    const store = tableWindowStore(client);
    await addAll(store, [
      { key: 'baseline|a', deltas: { w: 2, n10_0_0: 1 }, expiresAt: expiry },
      { key: 'baseline-hours|a', deltas: { h3: 2 }, expiresAt: expiry },
    ]);
    const writes: string[] = [];
    client.submitTransaction = async () => {
      writes.push('transaction');
      throw new Error('no write expected');
    };
    client.createEntity = async () => {
      writes.push('create');
      throw new Error('no write expected');
    };
    client.updateEntity = async () => {
      writes.push('update');
      throw new Error('no write expected');
    };
    expect(await store.getMany?.(['baseline|a', 'baseline-hours|a', 'baseline|never'])).toEqual([
      { w: 2, n10_0_0: 1 },
      { h3: 2 },
      {},
    ]);
    expect(writes).toEqual([]);
  });
});
