import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  ADD_CONCURRENCY,
  checkCounterNames,
  mapConcurrent,
  type WindowStore,
} from '../../core/detect/window-store.ts';
import { TransientError } from '../../core/errors.ts';
import { awsCall, isAwsError } from '../errors.ts';

/**
 * Rejections that certainly applied nothing, so an ADD may be sent again. A timeout or a 5xx may
 * have applied it: those are not retried here (a count would be doubled); the platform retries.
 */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);
// awsErrorCode drops the `Exception` suffix: compared on the full set it never matched two of three.
const throttled = (error: unknown) =>
  error instanceof TransientError && isAwsError(error.cause, ...THROTTLED);

/** What the store calls on its table. */
export const WINDOW_STORE_PERMISSIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'dynamodb:BatchGetItem',
] as const;

/** Keys in one BatchGetItem: DynamoDB's limit. */
export const BATCH_GET_KEYS = 100;
/** BatchGetItem calls in flight at once. */
const GET_CONCURRENCY = 8;

/** Attribute holding the item's expiry in epoch seconds: enable DynamoDB TTL on it. */
export const TTL_ATTRIBUTE = 'expiresAt';
const PREFIX = 'c_';

/**
 * The detectors' window state in a DynamoDB table with a string partition key `pk` and TTL on
 * `expiresAt` (serverless.yml in docs/detection.md). Counters use `ADD` in one UpdateItem, which
 * DynamoDB applies atomically, so concurrent invocations never lose a count; set members use a
 * conditional PutItem (`attribute_not_exists`), so exactly one writer sees a member as new.
 *
 * `addMany` (a flush) issues the UpdateItems `concurrency` at a time, retrying throttled ones with
 * backoff. Not BatchWriteItem: it only puts whole items (no ADD, no returned totals), so it would
 * lose concurrent writers' counts.
 *
 * `getMany` (reads, e.g. the baseline parts a flush does not change) is BatchGetItem, 100 keys a
 * call, 8 calls at a time, strongly consistent; keys DynamoDB returns unprocessed are asked again
 * with backoff (a throttled call too), and if some are still unprocessed after `retries` the read fails (TransientError:
 * the platform retries the invocation) rather than answer a key as empty.
 */
export function dynamoDbWindowStore(
  client: DynamoDBClient,
  table: string,
  options: { concurrency?: number; retries?: number; backoffMs?: number } = {},
): WindowStore {
  const { concurrency = ADD_CONCURRENCY, retries = 5, backoffMs = 50 } = options;
  const store: WindowStore = {
    async addMany(items) {
      return mapConcurrent(items, concurrency, async (item) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await store.add(item.key, item.deltas, item.expiresAt);
          } catch (error) {
            if (!throttled(error) || attempt >= retries) throw error;
            await sleep(backoffMs * 2 ** attempt * (0.5 + Math.random()));
          }
        }
      });
    },
    async getMany(keys) {
      const pks = keys.map((key) => itemKey('c', key));
      const found = new Map<string, Record<string, AttributeValue>>();
      const batches: string[][] = [];
      const unique = [...new Set(pks)];
      for (let i = 0; i < unique.length; i += BATCH_GET_KEYS)
        batches.push(unique.slice(i, i + BATCH_GET_KEYS));
      await mapConcurrent(batches, GET_CONCURRENCY, async (batch) => {
        let pending = batch.map((pk) => ({ pk: { S: pk } }) as Record<string, AttributeValue>);
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > retries)
            throw new TransientError(
              `DynamoDB BatchGetItem on ${table}: ${pending.length} keys still unprocessed after ${retries} retries`,
            );
          if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
          const keys = pending;
          let result: BatchGetItemCommandOutput;
          try {
            result = await awsCall(() =>
              client.send(
                new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
              ),
            );
          } catch (error) {
            // A read changes nothing: a throttled one is simply asked again.
            if (!throttled(error) || attempt >= retries) throw error;
            continue;
          }
          for (const item of result.Responses?.[table] ?? []) {
            const pk = item.pk?.S;
            if (pk !== undefined) found.set(pk, item);
          }
          pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
        }
      });
      return pks.map((pk) => counters(found.get(pk)));
    },
    async add(key, deltas, expiresAt) {
      checkCounterNames(deltas);
      const entries = Object.entries(deltas);
      const names: Record<string, string> = { '#ttl': TTL_ATTRIBUTE };
      const values: Record<string, { N: string }> = {
        ':ttl': { N: String(Math.ceil(expiresAt.getTime() / 1000)) },
      };
      entries.forEach(([name, value], i) => {
        names[`#n${i}`] = `${PREFIX}${name}`;
        values[`:v${i}`] = { N: String(value) };
      });
      const add = entries.map((_, i) => `#n${i} :v${i}`).join(', ');
      const result = await awsCall(() =>
        client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: { S: itemKey('c', key) } },
            UpdateExpression: `${add ? `ADD ${add} ` : ''}SET #ttl = :ttl`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return counters(result.Attributes);
    },
    async remember(set, member) {
      return awsCall(
        async () => {
          await client.send(
            new PutItemCommand({
              TableName: table,
              Item: {
                pk: { S: itemKey('s', `${set}\u0000${member}`) },
                set: { S: set },
                member: { S: member },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return true;
        },
        { ConditionalCheckFailed: () => false },
      );
    },
  };
  return store;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The counters of an item (its `c_` attributes). */
function counters(item: Record<string, AttributeValue> | undefined): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [name, value] of Object.entries(item ?? {})) {
    if (name.startsWith(PREFIX) && value.N !== undefined) totals[name.slice(PREFIX.length)] = Number(value.N);
  }
  return totals;
}

/** Partition keys stay under DynamoDB's 2 KB limit: long keys are replaced by their SHA-256. */
function itemKey(kind: 'c' | 's', key: string): string {
  const pk = `${kind}#${key}`;
  return Buffer.byteLength(pk) <= 1024
    ? pk
    : `${kind}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}
