import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { parseConfigText } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';
import type { ScanDeps } from '../handlers/scan.ts';
import { dynamoDbWindowStore } from './dynamodb-window-store.ts';

let deps: ScanDeps | undefined;

/**
 * The scan function's dependencies, built once per cold start: configuration from
 * `TOURNIQUET_CONFIG` (invalid config fails closed), the window table from `SCAN_STATE_TABLE`.
 * Containment (`contain`) comes from the composition root once it exists (functions-aws/wiring.ts);
 * until then the function decides and logs without acting.
 */
export async function scanDeps(): Promise<ScanDeps> {
  if (deps) return deps;
  const config = parseConfigText(process.env.TOURNIQUET_CONFIG, 'TOURNIQUET_CONFIG');
  const table = process.env.SCAN_STATE_TABLE;
  if (!table) throw new ConfigError('SCAN_STATE_TABLE is not set: the scan needs its DynamoDB window table');
  deps = { config, s3: new S3Client({}), state: dynamoDbWindowStore(new DynamoDBClient({}), table) };
  return deps;
}
