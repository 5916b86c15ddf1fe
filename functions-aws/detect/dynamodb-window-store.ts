import { createHash } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  ADD_CONCURRENCY,
  checkCounterNames,
  mapConcurrent,
  type WindowStore,
} from '../../core/detect/window-store.ts';
import { TransientError } from '../../core/errors.ts';
import { awsCall, awsErrorCode } from '../errors.ts';

/**
 * Rejections that certainly applied nothing, so an ADD may be sent again. A timeout or a 5xx may
 * have applied it: those are not retried here (a count would be doubled); the platform retries.
 */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);
const throttled = (error: unknown) =>
  error instanceof TransientError && THROTTLED.has(awsErrorCode(error.cause) ?? '');

/** What the store calls on its table. */
export const WINDOW_STORE_PERMISSIONS = ['dynamodb:UpdateItem', 'dynamodb:PutItem'] as const;

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
            await new Promise((r) => setTimeout(r, backoffMs * 2 ** attempt * (0.5 + Math.random())));
          }
        }
      });
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
      const totals: Record<string, number> = {};
      for (const [name, value] of Object.entries(result.Attributes ?? {})) {
        if (name.startsWith(PREFIX) && value.N !== undefined)
          totals[name.slice(PREFIX.length)] = Number(value.N);
      }
      return totals;
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

/** Partition keys stay under DynamoDB's 2 KB limit: long keys are replaced by their SHA-256. */
function itemKey(kind: 'c' | 's', key: string): string {
  const pk = `${kind}#${key}`;
  return Buffer.byteLength(pk) <= 1024
    ? pk
    : `${kind}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}
