import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import middy from '@middy/core';
import { ConfigError } from '../../core/errors.ts';
import { runScheduledPosture, type ScheduledPostureDeps } from '../../core/posture/scheduled-run.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { deadlineOf, type LambdaContext } from '../lambda-context.ts';
import { logger } from '../logger.ts';
import { collectAwsPosture } from '../posture/run.ts';
import { securityHubPublisher } from '../posture/security-hub-publisher.ts';
import { getAwsRuntime } from '../wiring.ts';

/** Built per invocation from the cold-start runtime; tests pass their own. */
export type PostureDepsFactory = (context: LambdaContext) => Promise<ScheduledPostureDeps>;

/**
 * The daily `posture` Lambda (EventBridge schedule): reads the account's posture with the function
 * role, imports failed checks into Security Hub (ASFF), logs their OCSF form, keeps the report in
 * the evidence bucket and escalates what broke since yesterday through the same decision as alerts.
 */
export function createPostureHandler(depsFor: PostureDepsFactory) {
  return async (_event: unknown, context: LambdaContext) => {
    const result = await runScheduledPosture(await depsFor(context));
    return {
      summary: result.report.summary,
      findings: result.findings,
      published: result.published,
      publishFailures: result.publishFailures,
      escalated: result.decisions.length,
      baseline: result.baseline,
    };
  };
}

const defaultDeps: PostureDepsFactory = async (context) => {
  const runtime = await getAwsRuntime();
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const stack = process.env.TOURNIQUET_STACK;
  if (!stack)
    throw new ConfigError('TOURNIQUET_STACK is not set: serverless.yml sets it to <service>-<stage>');
  return {
    cloud: 'aws',
    config: runtime.config,
    checks: awsPostureChecks,
    collect: () =>
      collectAwsPosture({
        config: runtime.config,
        region,
        stack,
        identities: false,
        account: runtime.homeAccount,
      }),
    store: runtime.store,
    publish: securityHubPublisher(new SecurityHubClient({ region }), {
      importAccount: runtime.homeAccount,
      region,
    }),
    log: (line) => logger.info(String(line.msg ?? 'tourniquet.posture'), { ...line, msg: undefined }),
    contain: runtime.deps({ deadline: deadlineOf(context) }),
    productVersion: process.env.TOURNIQUET_VERSION ?? '0.1.0',
  };
};

export const handler = middy(createPostureHandler(defaultDeps)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
