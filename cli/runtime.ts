import type { Cloud } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import type { HandleDeps } from '../core/handle.ts';
import { incidentJournal, type WriteOnceStore } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';
import { memoryStore } from '../core/memory-store.ts';
import { PACKS } from '../packs/index.ts';
import { CloudAccessError, cloudAccessProblem } from './cloud-access.ts';

export interface CliRuntime {
  deps(extra?: Pick<HandleDeps, 'onProgress'>): HandleDeps;
  parsers: ManualParsers;
  /** The evidence store (journal, grant index). */
  store: WriteOnceStore;
}

/**
 * Clients for acting from a workstation or CloudShell: the default AWS credential chain, or
 * DefaultAzureCredential (az login, environment, managed identity). Loaded only for contain and
 * release in enforce mode, so `plan`, `scan` and every dry run touch no cloud SDK and need no
 * credentials. Credentials are tried before anything acts: a failure to sign in changes nothing, and
 * main.ts turns it into the way to sign in (exit 5).
 */
export async function cliRuntime(cloud: Cloud, config: Config): Promise<CliRuntime> {
  if (config.mode !== 'enforce') return dryRunRuntime(cloud, config);
  try {
    return await signedIn(cloud, config);
  } catch (error) {
    const problem = cloudAccessProblem(error, config);
    if (problem) throw new CloudAccessError(problem, { cause: error });
    throw error;
  }
}

async function signedIn(cloud: Cloud, config: Config): Promise<CliRuntime> {
  if (cloud === 'aws') {
    const { buildAwsRuntime } = await import('../functions-aws/wiring.ts');
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    // Without a home account the runtime asks STS who we are: the credential check comes first.
    const runtime = await buildAwsRuntime({ config, region });
    return { deps: (extra = {}) => runtime.deps(extra), parsers: runtime.parsers, store: runtime.store };
  }
  const { DefaultAzureCredential } = await import('@azure/identity');
  await new DefaultAzureCredential().getToken('https://management.azure.com/.default');
  const { getAzureRuntime } = await import('../functions-azure/wiring.ts');
  const runtime = await getAzureRuntime({ TOURNIQUET_CONFIG: JSON.stringify(config) });
  return { deps: (extra = {}) => runtime.deps(extra), parsers: runtime.parsers, store: runtime.store };
}

/**
 * A dry run reads nothing and writes nothing (core/execute-plan.ts): it needs the parsers and the
 * packs, no client, no credential and no evidence store (its journal is never written).
 */
async function dryRunRuntime(cloud: Cloud, config: Config): Promise<CliRuntime> {
  const parsers: ManualParsers =
    cloud === 'aws'
      ? await import('../functions-aws/events/index.ts').then((m) => ({
          parseEvent: m.parseAwsEvent,
          parseTarget: m.parseAwsTarget,
        }))
      : await import('../functions-azure/events/index.ts').then((m) => ({
          parseEvent: m.parseAzureEvent,
          parseTarget: m.parseAzureTarget,
        }));
  const store = memoryStore();
  const deps: HandleDeps = { config, packs: PACKS, executors: {}, journal: incidentJournal(store) };
  return { deps: (extra = {}) => ({ ...deps, ...extra }), parsers, store };
}

/** Which cloud a by-hand target belongs to: IAM ARNs and bucket names are AWS, object ids Azure. */
export function cloudOfTarget(
  principal: string | undefined,
  stores: readonly string[],
  config: Config,
): Cloud {
  if (principal?.startsWith('arn:aws')) return 'aws';
  if (principal && /^(sp:|mi:|user:)?[0-9a-f-]{36}$/i.test(principal)) return 'azure';
  if (stores.some((s) => s.startsWith('/subscriptions/') || /^https:\/\/[^/]+\.blob\./.test(s)))
    return 'azure';
  if (stores.length) return 'aws';
  return config.aws ? 'aws' : 'azure';
}
