import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import middy from '@middy/core';
import type { IncidentFindingSink } from '../../core/findings/publish-incident.ts';
import { parseIncidentFindingEvent } from '../events/incident-finding.ts';
import { securityHubIncidentSink } from '../incident-findings.ts';
import type { LambdaContext } from '../lambda-context.ts';
import { logger } from '../logger.ts';

/** What Tourniquet names as its version in OCSF findings (as functions-aws/wiring.ts does). */
const PRODUCT_VERSION = '0.1.0';

export interface FindingsDeps {
  /** The account this function runs in: the only one whose handovers it takes. */
  homeAccount: string;
  sink: IncidentFindingSink;
}

/**
 * The `findings` Lambda, off the event path: takes the `Tourniquet Incident Finding` events the
 * contain, manual and scan functions put on the default bus (functions-aws/finding-handover.ts) and
 * imports each into Security Hub with `securityHubIncidentSink` (BatchImportFindings, then
 * BatchUpdateFindings for the workflow). A malformed or foreign event is logged and acknowledged
 * with nothing imported (retrying cannot help); a Security Hub failure is thrown, so Lambda retries
 * and finally sends the event to the dead-letter queue.
 */
export function createFindingsHandler(
  depsFor: (context?: Pick<LambdaContext, 'invokedFunctionArn'>) => FindingsDeps,
) {
  return async (event: unknown, context?: Pick<LambdaContext, 'invokedFunctionArn'>) => {
    const deps = depsFor(context);
    const parsed = parseIncidentFindingEvent(event, deps.homeAccount);
    if (parsed.kind === 'rejected') {
      logger.warn('incident finding event rejected', { reason: parsed.reason });
      return { status: 'rejected', reason: parsed.reason };
    }
    await deps.sink(parsed.finding, parsed.first);
    logger.info('incident finding imported', {
      findingId: parsed.finding.id,
      workflow: parsed.finding.workflow,
    });
    return { status: 'imported', findingId: parsed.finding.id, workflow: parsed.finding.workflow ?? 'new' };
  };
}

let client: SecurityHubClient | undefined;

/**
 * From the environment: the home account from the invocation's ARN (`TOURNIQUET_HOME_ACCOUNT`
 * overrides it), Security Hub in the function's region. Without an account every event is rejected.
 */
export function findingsDepsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  context?: Pick<LambdaContext, 'invokedFunctionArn'>,
): FindingsDeps {
  const homeAccount =
    env.TOURNIQUET_HOME_ACCOUNT ??
    /^arn:aws[\w-]*:lambda:[^:]*:(\d{12}):/.exec(context?.invokedFunctionArn ?? '')?.[1] ??
    '';
  const region = env.AWS_REGION ?? 'us-east-1';
  return {
    homeAccount,
    sink: securityHubIncidentSink({
      client: async () => {
        client ??= new SecurityHubClient({ region });
        return client;
      },
      target: { importAccount: homeAccount, region },
      productVersion: PRODUCT_VERSION,
      log: (ocsf) => logger.info('tourniquet.finding', { ocsf }),
    }),
  };
}

export const findingsHandler = createFindingsHandler((context) => findingsDepsFromEnv(process.env, context));

export const handler = middy(findingsHandler).use(injectLambdaContext(logger, { resetKeys: true }));
