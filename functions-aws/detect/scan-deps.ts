import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError } from '../../core/errors.ts';
import type { AwsScanDeps } from '../handlers/scan.ts';
import { getAwsRuntime } from '../wiring.ts';
import { dynamoDbWindowStore } from './dynamodb-window-store.ts';

let deps: AwsScanDeps | undefined;

/**
 * The scan function's dependencies, built once per cold start on the composition root
 * (functions-aws/wiring.ts): the same configuration (fails closed), executors and journal as the
 * `contain` function, plus the log reader and the window table named by `SCAN_STATE_TABLE`.
 */
export async function awsScanDeps(env: NodeJS.ProcessEnv = process.env): Promise<AwsScanDeps> {
  if (deps) return deps;
  const table = env.SCAN_STATE_TABLE;
  if (!table) throw new ConfigError('SCAN_STATE_TABLE is not set: the scan needs its DynamoDB window table');
  const runtime = await getAwsRuntime(env);
  const region = env.AWS_REGION;
  deps = {
    config: runtime.config,
    s3: new S3Client({ region, followRegionRedirects: true }),
    state: dynamoDbWindowStore(new DynamoDBClient({ region }), table),
    contain: runtime.deps(),
  };
  return deps;
}
