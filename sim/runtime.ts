import type { Cloud } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { HandleDeps } from '../core/handle.ts';
import type { IncidentJournal } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';
import { parseAwsEvent, parseAwsTarget } from '../functions-aws/events/index.ts';
import { awsExecutors } from '../functions-aws/executors/index.ts';
import { buildAzureRuntime } from '../functions-azure/runtime.ts';
import { PACKS } from '../packs/index.ts';
import type { SimWorld } from './world.ts';

/** A retry policy that does not wait: the simulator never throttles. */
const NO_WAIT = { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => {} };

/**
 * The composition root of exercise mode: the real executors of a cloud over the simulated one,
 * and the given journal (a local folder). Nothing here reaches a real cloud.
 */
export function simulatedRuntime(
  cloud: Cloud,
  world: SimWorld,
  config: Config,
  journal: IncidentJournal,
  extra: Pick<HandleDeps, 'publishPack' | 'onProgress'> = {},
): { deps: HandleDeps; parsers: ManualParsers } {
  if (cloud === 'aws') {
    const aws = config.aws;
    if (!aws) throw new ConfigError('the event is an AWS one and the configuration has no "aws" section');
    const homeAccount = aws.accounts[0] ?? '';
    const executors = awsExecutors(async () => world.aws, { escalationBus: aws.escalationBus, homeAccount });
    return {
      deps: { config, packs: PACKS, executors, journal, retry: NO_WAIT, ...extra },
      parsers: { parseEvent: parseAwsEvent, parseTarget: parseAwsTarget },
    };
  }
  if (!config.azure)
    throw new ConfigError('the event is an Azure one and the configuration has no "azure" section');
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const runtime = buildAzureRuntime(config, world.azure, {
    retry: NO_WAIT,
    copy: { pollIntervalMs: 1 },
    log: quiet,
  });
  return { deps: { ...runtime.deps(), journal, ...extra }, parsers: runtime.parsers };
}
