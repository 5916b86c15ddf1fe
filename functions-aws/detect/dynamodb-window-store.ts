import { createHash } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { checkCounterNames, type WindowStore } from '../../core/detect/window-store.ts';
import { awsCall } from '../errors.ts';

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
 */
export function dynamoDbWindowStore(client: DynamoDBClient, table: string): WindowStore {
  return {
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
}

/** Partition keys stay under DynamoDB's 2 KB limit: long keys are replaced by their SHA-256. */
function itemKey(kind: 'c' | 's', key: string): string {
  const pk = `${kind}#${key}`;
  return Buffer.byteLength(pk) <= 1024
    ? pk
    : `${kind}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}
