import {
  BatchGetItemCommand,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { changeBaselines } from '../../core/detect/baseline-store.ts';
import { TransientError } from '../../core/errors.ts';
import { dynamoDbWindowStore } from '../../functions-aws/detect/dynamodb-window-store.ts';

const TABLE = 'tourniquet-scan';
const expiry = new Date('2026-11-27T00:00:00Z');
let ddb: ReturnType<typeof mockClient>;
const store = () => dynamoDbWindowStore(new DynamoDBClient({ region: 'us-east-1' }), TABLE, { backoffMs: 1 });
const pk = (key: string) => ({ pk: { S: `c#${key}` } });
const item = (key: string, counters: Record<string, number>) => ({
  ...pk(key),
  expiresAt: { N: '1795737600' },
  ...Object.fromEntries(Object.entries(counters).map(([n, v]) => [`c_${n}`, { N: String(v) }])),
});
const batchGets = () => ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input);

beforeEach(() => {
  ddb = mockClient(DynamoDBClient);
});

describe('DynamoDB window store batched reads (BatchGetItem)', () => {
  it('reads 150 keys in two BatchGetItem calls of 100 and 50, strongly consistent, answers in order', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `baseline|a${i}`);
    ddb.on(BatchGetItemCommand).callsFake(({ RequestItems }) => ({
      Responses: {
        // Out of order, as DynamoDB may answer; a key never written is absent.
        [TABLE]: RequestItems[TABLE].Keys.filter((k: { pk: { S: string } }) => k.pk.S !== 'c#baseline|a7')
          .map((k: { pk: { S: string } }) => item(k.pk.S.slice(2), { w: Number(k.pk.S.slice(12)) }))
          .reverse(),
      },
    }));
    const totals = await store().getMany?.(keys);
    expect(batchGets()).toEqual([
      { RequestItems: { [TABLE]: { Keys: keys.slice(0, 100).map(pk), ConsistentRead: true } } },
      { RequestItems: { [TABLE]: { Keys: keys.slice(100).map(pk), ConsistentRead: true } } },
    ]);
    expect(totals).toEqual(keys.map((_, i) => (i === 7 ? {} : { w: i })));
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('asks again for the keys DynamoDB left unprocessed, never answering them as empty', async () => {
    const keys = ['k|1', 'k|2', 'k|3'];
    ddb
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [item('k|1', { n: 1 })] },
        UnprocessedKeys: { [TABLE]: { Keys: [pk('k|2'), pk('k|3')], ConsistentRead: true } },
      })
      .resolvesOnce({
        Responses: { [TABLE]: [item('k|3', { n: 3 })] },
        UnprocessedKeys: { [TABLE]: { Keys: [pk('k|2')], ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [item('k|2', { n: 2 })] } });
    expect(await store().getMany?.(keys)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(batchGets().map((i) => i.RequestItems?.[TABLE]?.Keys)).toEqual([
      keys.map(pk),
      [pk('k|2'), pk('k|3')],
      [pk('k|2')],
    ]);
  });

  it('retries a throttled BatchGetItem, and asks each repeated key once', async () => {
    ddb
      .on(BatchGetItemCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
      .resolves({ Responses: { [TABLE]: [item('k|1', { n: 1 })] } });
    expect(await store().getMany?.(['k|1', 'k|1'])).toEqual([{ n: 1 }, { n: 1 }]);
    expect(batchGets().map((i) => i.RequestItems?.[TABLE]?.Keys)).toEqual([[pk('k|1')], [pk('k|1')]]);
  });

  it('fails the read clearly when keys stay unprocessed after the retries', async () => {
    ddb.on(BatchGetItemCommand).resolves({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: [pk('k|1')], ConsistentRead: true } },
    });
    const read = store().getMany?.(['k|1']);
    await expect(read).rejects.toThrow(TransientError);
    await expect(read).rejects.toThrow(/1 keys still unprocessed after 5 retries/);
    expect(batchGets()).toHaveLength(6);
  });

  it('fails the read (no empty answer) when a BatchGetItem is refused', async () => {
    ddb.on(BatchGetItemCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(store().getMany?.(['k|1'])).rejects.toThrow();
  });
});

describe('DynamoDB window store batched adds', () => {
  it('sends a throttled UpdateItem again (the rejection applied nothing): no count lost', async () => {
    ddb
      .on(UpdateItemCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
      .resolves({ Attributes: item('w|1', { n: 1 }) });
    const items = [{ key: 'w|1', deltas: { n: 1 }, expiresAt: expiry }];
    expect(await store().addMany?.(items)).toEqual([{ n: 1 }]);
    expect(ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.Key)).toEqual([
      pk('w|1'),
      pk('w|1'),
    ]);
  });
});

describe('baseline parts a flush does not change are read, not written', () => {
  it('adds to the two parts a move changes and reads the other two in one BatchGetItem', async () => {
    ddb.on(UpdateItemCommand).callsFake(({ Key }) => ({ Attributes: item(Key.pk.S.slice(2), { moved: 1 }) }));
    ddb.on(BatchGetItemCommand).callsFake(({ RequestItems }) => ({
      Responses: {
        [TABLE]: RequestItems[TABLE].Keys.map((k: { pk: { S: string } }) =>
          item(k.pk.S.slice(2), { read: 1 }),
        ),
      },
    }));
    // A window's sample moving from bytes bin 20 to 21 and objects bin 0 to 1.
    const totals = await changeBaselines(
      store(),
      new Map([['actor-1', { b20: -1, b21: 1, o0: -1, o1: 1 }]]),
      expiry,
    );
    expect(ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.Key)).toEqual([
      pk('baseline-bytes|actor-1'),
      pk('baseline-objects|actor-1'),
    ]);
    expect(batchGets()).toEqual([
      {
        RequestItems: {
          [TABLE]: { Keys: [pk('baseline|actor-1'), pk('baseline-hours|actor-1')], ConsistentRead: true },
        },
      },
    ]);
    expect(totals.get('actor-1')).toEqual({ moved: 1, read: 1 });
  });

  it('fails the flush when a part cannot be read, before anything is written', async () => {
    ddb.on(UpdateItemCommand).resolves({ Attributes: item('x', { n: 1 }) });
    ddb.on(BatchGetItemCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    await expect(
      changeBaselines(store(), new Map([['actor-1', { b20: -1, b21: 1 }]]), expiry),
    ).rejects.toThrow();
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });
});
