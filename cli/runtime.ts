import type { Cloud } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import type { HandleDeps } from '../core/handle.ts';
import type { WriteOnceStore } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';

export interface CliRuntime {
  deps(extra?: Pick<HandleDeps, 'onProgress'>): HandleDeps;
  parsers: ManualParsers;
  /** The evidence store (journal, grant index). */
  store: WriteOnceStore;
}

/**
 * Clients for acting from a workstation or CloudShell: the default AWS credential chain, or
 * DefaultAzureCredential (az login, environment, managed identity). Loaded only for contain and
 * release, so `plan` and `scan` never touch a cloud SDK.
 */
export async function cliRuntime(cloud: Cloud, config: Config): Promise<CliRuntime> {
  if (cloud === 'aws') {
    const { buildAwsRuntime } = await import('../functions-aws/wiring.ts');
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    // A dry run needs no credentials: no call is made, so the home account need not be asked.
    const home = config.mode === 'enforce' ? {} : { homeAccount: config.aws?.accounts[0] ?? '000000000000' };
    const runtime = await buildAwsRuntime({ config, region, ...home });
    return { deps: (extra = {}) => runtime.deps(extra), parsers: runtime.parsers, store: runtime.store };
  }
  const { getAzureRuntime } = await import('../functions-azure/wiring.ts');
  const runtime = await getAzureRuntime({ TOURNIQUET_CONFIG: JSON.stringify(config) });
  return { deps: (extra = {}) => runtime.deps(extra), parsers: runtime.parsers, store: runtime.store };
}

/** Which cloud a by-hand target belongs to: IAM ARNs and bucket names are AWS, object ids Azure. */
export function cloudOfTarget(principal: string | undefined, config: Config): Cloud {
  if (principal?.startsWith('arn:aws')) return 'aws';
  if (principal && /^(sp:|mi:|user:)?[0-9a-f-]{36}$/i.test(principal)) return 'azure';
  return config.aws ? 'aws' : 'azure';
}
