import type { InvocationContext } from '@azure/functions';
import { ConfigError } from '../../core/errors.ts';
import type { ScheduledPostureDeps } from '../../core/posture/scheduled-run.ts';
import { azurePostureChecks } from '../../packs/azure/posture/index.ts';
import { invocationLog } from '../log.ts';
import { getAzureRuntime } from '../wiring.ts';
import { eventGridPublisher } from './event-grid-publisher.ts';
import { collectAzurePosture, defaultAzureTokens } from './run.ts';

/**
 * The posture timer's dependencies on the composition root: the function app's managed identity
 * reads (the Tourniquet Posture Reader role), publishes to `POSTURE_EVENTS_TOPIC`
 * (`https://<topic>.<region>-1.eventgrid.azure.net/api/events`) and escalates through the runtime.
 */
export async function azurePostureDeps(
  context: InvocationContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScheduledPostureDeps> {
  const topic = env.POSTURE_EVENTS_TOPIC ?? '';
  if (!/^https:\/\/[\w.-]+\.eventgrid\.azure\.net\/api\/events$/.test(topic))
    throw new ConfigError(
      'POSTURE_EVENTS_TOPIC must be https://<topic>.<region>-1.eventgrid.azure.net/api/events',
    );
  const runtime = await getAzureRuntime(env);
  const tokens = await defaultAzureTokens();
  const { DefaultAzureCredential } = await import('@azure/identity');
  const credential = new DefaultAzureCredential();
  const log = invocationLog(context);
  return {
    cloud: 'azure',
    config: runtime.config,
    checks: azurePostureChecks,
    collect: () => collectAzurePosture({ config: runtime.config, identities: false, ...tokens }),
    store: runtime.store,
    publish: eventGridPublisher({
      topicEndpoint: topic,
      token: async () => (await credential.getToken('https://eventgrid.azure.net/.default'))?.token ?? '',
      productVersion: '0.1.0',
    }),
    log: (line) => log.info(String(line.msg ?? 'tourniquet.posture'), line),
    contain: runtime.deps(),
    productVersion: '0.1.0',
  };
}
