import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import middy from '@middy/core';
import { parseConfigText } from '../../core/config.ts';
import { incidentJournal } from '../../core/journal.ts';
import { parseIncidentFindingEvent } from '../events/incident-finding.ts';
import { securityHubIncidentSink } from '../incident-findings.ts';
import { s3WriteOnceStore } from '../journal-store.ts';
import type { LambdaContext } from '../lambda-context.ts';
import { logger } from '../logger.ts';
import { type SealedFindingResult, sealedFindingPublisher } from '../sealed-finding.ts';

/** What Tourniquet names as its version in OCSF findings (as functions-aws/wiring.ts does). */
const PRODUCT_VERSION = '0.1.0';

export interface FindingsDeps {
  /** The account this function runs in: the only one whose handovers it takes. */
  homeAccount: string;
  /** Rebuilds the incident's finding from this deployment's journal and publishes it once. */
  publish: (incidentId: string) => Promise<SealedFindingResult>;
}

/**
 * The `findings` Lambda, off the event path: takes the `Tourniquet Incident Finding` pointers the
 * contain, manual and scan functions put on the default bus (functions-aws/finding-handover.ts),
 * rebuilds each incident's finding from its sealed journal and imports it into Security Hub
 * (functions-aws/sealed-finding.ts). A malformed, foreign or forged pointer is logged and
 * acknowledged with nothing imported (retrying cannot help); a Security Hub failure is thrown, so
 * Lambda retries and finally sends the event to the dead-letter queue.
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
    const result = await deps.publish(parsed.incidentId);
    if (result.status === 'rejected')
      logger.warn('incident finding event rejected', {
        incidentId: parsed.incidentId,
        reason: result.reason,
      });
    else logger.info(`incident finding ${result.status}`, { incidentId: parsed.incidentId, ...result });
    return result;
  };
}

let clients: { securityHub: SecurityHubClient; s3: S3Client } | undefined;

/**
 * From the environment: the home account from the invocation's ARN (`TOURNIQUET_HOME_ACCOUNT`
 * overrides it), the evidence bucket from `TOURNIQUET_CONFIG`, Security Hub in the function's
 * region. Without an account every event is rejected; without a valid configuration every
 * invocation fails with the reason (nothing can be published without the journal).
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
    publish: async (incidentId) => {
      const config = parseConfigText(env.TOURNIQUET_CONFIG, 'the TOURNIQUET_CONFIG environment variable');
      if (!config.aws) throw new Error('TOURNIQUET_CONFIG has no aws section: no journal to publish from');
      clients ??= {
        securityHub: new SecurityHubClient({ region }),
        s3: new S3Client({ region, followRegionRedirects: true }),
      };
      const store = s3WriteOnceStore(clients.s3, config.aws.evidenceBucket);
      const { securityHub } = clients;
      return sealedFindingPublisher({
        journal: incidentJournal(store),
        store,
        sink: securityHubIncidentSink({
          client: async () => securityHub,
          target: { importAccount: homeAccount, region },
          productVersion: PRODUCT_VERSION,
          log: (ocsf) => logger.info('tourniquet.finding', { ocsf }),
        }),
      })(incidentId);
    },
  };
}

/** Drops the cached clients (tests). */
export function resetFindingsClients(): void {
  clients = undefined;
}

export const findingsHandler = createFindingsHandler((context) => findingsDepsFromEnv(process.env, context));

export const handler = middy(findingsHandler).use(injectLambdaContext(logger, { resetKeys: true }));
