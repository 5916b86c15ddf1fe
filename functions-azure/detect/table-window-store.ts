import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import {
  ADD_CONCURRENCY,
  addCounters,
  checkCounterNames,
  mapConcurrent,
  type WindowAdd,
  type WindowStore,
} from '../../core/detect/window-store.ts';
import { TransientError } from '../../core/errors.ts';

const PREFIX = 'c_';
/** Optimistic-concurrency rounds before giving up with a TransientError (the platform retries). */
const MAX_ROUNDS = 64;
/** Operations in one entity group transaction: Table storage's limit (same partition, ≤100). */
const TRANSACTION_OPS = 100;

/**
 * The detectors' window state in Azure Table storage. Tables have no atomic increment, so `add`
 * is a read-modify-write made safe by ETags: the update carries the ETag it read (`If-Match`) and a
 * concurrent writer's change makes it fail with 412, after which the round is redone on fresh
 * totals; a first write uses insert (409 when someone else inserted first). `remember` is an insert:
 * exactly one writer succeeds. Rows carry `expiresAt`; Table storage has no TTL, so old rows are
 * removed by a cleanup job (docs/detection.md).
 *
 * `addMany` (a flush) reads the rows concurrently and writes them in entity group transactions of
 * up to 100 (all counters share partition `c`), each operation carrying its ETag: a transaction is
 * all or nothing, so when a concurrent writer got in first (412/409) that group is redone row by
 * row with `add`'s optimistic rounds. No count is lost or doubled. `getMany` reads rows without
 * writing them.
 */
export function tableWindowStore(client: TableClient, options: { concurrency?: number } = {}): WindowStore {
  const { concurrency = ADD_CONCURRENCY } = options;
  const store: WindowStore = {
    async addMany(items) {
      const groups: WindowAdd[][] = [];
      for (let i = 0; i < items.length; i += TRANSACTION_OPS)
        groups.push(items.slice(i, i + TRANSACTION_OPS));
      const totals = await mapConcurrent(groups, Math.max(1, Math.floor(concurrency / 4)), async (group) => {
        const written = await addGroup(client, group, concurrency);
        return written ?? mapConcurrent(group, 1, (i) => store.add(i.key, i.deltas, i.expiresAt));
      });
      return totals.flat();
    },
    async getMany(keys) {
      // Point reads, `concurrency` at a time: Table storage has no batched read by keys, and an
      // add of nothing would be a read plus a (transactional) write per key.
      return mapConcurrent(keys, concurrency, async (key) =>
        counters(
          (await call(() => client.getEntity<Record<string, unknown>>('c', hashKey(key)), [404])) ?? {},
        ),
      );
    },
    async add(key, deltas, expiresAt) {
      checkCounterNames(deltas);
      const rowKey = hashKey(key);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const current = await call(() => client.getEntity<Record<string, unknown>>('c', rowKey), [404]);
        const totals = counters(current ?? {});
        addCounters(totals, deltas);
        const entity = { partitionKey: 'c', rowKey, key: key.slice(0, 1024), expiresAt, ...prefixed(totals) };
        const written = current
          ? await call(() => client.updateEntity(entity, 'Merge', { etag: String(current.etag) }), [412])
          : await call(() => client.createEntity(entity), [409]);
        if (written !== undefined) return totals;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** round)));
      }
      throw new TransientError(`window counter ${key}: ${MAX_ROUNDS} concurrent-update rounds lost`);
    },
    async remember(set, member) {
      const entity = {
        partitionKey: 's',
        rowKey: hashKey(`${set}\u0000${member}`),
        set: set.slice(0, 1024),
        member: member.slice(0, 1024),
      };
      return (await call(() => client.createEntity(entity), [409])) !== undefined;
    },
  };
  return store;
}

/**
 * One transaction for up to 100 distinct keys: the totals, or undefined when a concurrent writer
 * changed one of the rows (the transaction applied nothing) or a key repeats.
 */
async function addGroup(
  client: TableClient,
  group: readonly WindowAdd[],
  concurrency: number,
): Promise<Record<string, number>[] | undefined> {
  for (const item of group) checkCounterNames(item.deltas);
  const rowKeys = group.map((item) => hashKey(item.key));
  if (new Set(rowKeys).size < rowKeys.length) return undefined;
  const current = await mapConcurrent(rowKeys, concurrency, (rowKey) =>
    call(() => client.getEntity<Record<string, unknown>>('c', rowKey), [404]),
  );
  const actions: TransactionAction[] = [];
  const totals = group.map((item, i) => {
    const row = current[i];
    const sums = counters(row ?? {});
    addCounters(sums, item.deltas);
    const entity = {
      partitionKey: 'c',
      rowKey: rowKeys[i] as string,
      key: item.key.slice(0, 1024),
      expiresAt: item.expiresAt,
      ...prefixed(sums),
    };
    actions.push(row ? ['update', entity, 'Merge', { etag: String(row.etag) }] : ['create', entity]);
    return sums;
  });
  const done = await call(() => client.submitTransaction(actions), [409, 412]);
  return done === undefined ? undefined : totals;
}

/** Row keys may not hold `/`, `\`, `#`, `?`: every key is stored by its SHA-256 (the text rides along). */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function counters(entity: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (name.startsWith(PREFIX) && typeof value === 'number') out[name.slice(PREFIX.length)] = value;
  }
  return out;
}

/** Doubles: Table storage keeps JSON numbers as Edm.Double, exact for counts below 2^53. */
function prefixed(totals: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).map(([name, value]) => [`${PREFIX}${name}`, value]));
}

/**
 * One Table call. The listed statuses are outcomes (undefined), 429 and 5xx become a
 * TransientError, anything else is rethrown untouched.
 */
async function call<T>(fn: () => Promise<T>, expected: number[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    if (expected.includes(status)) return undefined;
    if (status === 429 || status >= 500)
      throw new TransientError(`Azure Table storage HTTP ${status}: ${(error as Error).message}`, {
        cause: error,
      });
    throw error;
  }
}
