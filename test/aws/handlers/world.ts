import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { resetAwsRuntime } from '../../../functions-aws/wiring.ts';
import { fakeS3 } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { fakeIam } from '../executors/fake-iam.ts';

export const EVIDENCE = `ir-evidence-${ACCOUNT}`;
export const OWN_ROLE = `arn:aws:iam::${ACCOUNT}:role/tourniquet-prod-responder`;

/** Reads an example or fixture event as delivered. */
export function event(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A Lambda context with five minutes left. */
export const context = {
  awsRequestId: 'req-1',
  functionName: 'tourniquet-prod-contain',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:tourniquet-prod-contain`,
  getRemainingTimeInMillis: () => 300_000,
};

/**
 * The deployed function's world: the environment serverless.yml sets (the example configuration,
 * the function's own role and account) over in-memory IAM and S3 and a mocked EventBridge.
 */
export function lambdaWorld(mode: 'enforce' | 'dry-run' = 'enforce', configText?: string) {
  const config = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8'));
  const { $schema: _, azure: __, ...aws } = { ...config, mode };
  process.env.TOURNIQUET_CONFIG = configText ?? JSON.stringify(aws);
  process.env.TOURNIQUET_HOME_ACCOUNT = ACCOUNT;
  process.env.TOURNIQUET_ROLE_ARN = OWN_ROLE;
  process.env.AWS_REGION = 'us-east-1';
  resetAwsRuntime();
  const s3 = fakeS3();
  const iam = fakeIam();
  const eventBridge = mockClient(EventBridgeClient);
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  s3.bucket('models-prod', { versioning: 'Enabled' });
  s3.bucket('training-data');
  s3.bucket(EVIDENCE, { versioning: 'Enabled', objectLock: true });
  s3.object('models-prod', 'weights/model-00001.safetensors', { size: 4 * 1024 ** 3 });
  s3.object('models-prod', 'weights/model-00002.safetensors', { size: 4 * 1024 ** 3 });
  iam.role('llm-finetune-role');
  iam.user('ci-deployer', [{ id: 'AKIAEXAMPLECIDEPLOY1', status: 'Active' }]);
  const mutating = () =>
    [...s3.mock.calls(), ...iam.mock.calls(), ...eventBridge.calls()]
      .map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name)
      .filter((name) => !/^(Get|Head|List)/.test(name));
  const restore = () => {
    s3.mock.restore();
    iam.mock.restore();
    eventBridge.restore();
    resetAwsRuntime();
  };
  return { s3, iam, eventBridge, mutating, restore };
}
