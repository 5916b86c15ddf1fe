import type { Config } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';
import { collectSnapshot } from '../../core/posture/collect.ts';
import type { PostureSnapshot } from '../../core/posture/snapshot.ts';
import { azureIdentityAnalysis } from '../../packs/azure/posture/identities/analysis.ts';
import { azurePostureChecks } from '../../packs/azure/posture/index.ts';
import { type AzurePostureReaderOptions, azurePostureReader } from './reader.ts';

/**
 * One live posture run on Azure with the given identity (the function app's managed identity, or
 * `az login` for the CLI) over the subscriptions of the configuration. Read-only.
 */
export async function collectAzurePosture(
  options: { config: Config; identities: boolean; now?: Date } & AzurePostureReaderOptions,
): Promise<PostureSnapshot> {
  const azure = options.config.azure;
  if (!azure) throw new ConfigError('posture on Azure needs an "azure" section in the configuration');
  const planners = [...azurePostureChecks, ...(options.identities ? [azureIdentityAnalysis] : [])];
  return collectSnapshot(planners, azurePostureReader(options), {
    cloud: 'azure',
    config: options.config,
    scope: { azure: { tenant: azure.tenantId, subscriptions: azure.subscriptions } },
    now: options.now ?? new Date(),
  });
}

/** Tokens for ARM and Microsoft Graph from DefaultAzureCredential (az login, environment, managed identity). */
export async function defaultAzureTokens(): Promise<
  Pick<AzurePostureReaderOptions, 'armToken' | 'graphToken'>
> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  const credential = new DefaultAzureCredential();
  const token = (scope: string) => async () => {
    const t = await credential.getToken(scope);
    if (!t) throw new Error(`no Azure token for ${scope}`);
    return t.token;
  };
  return {
    armToken: token('https://management.azure.com/.default'),
    graphToken: token('https://graph.microsoft.com/.default'),
  };
}
