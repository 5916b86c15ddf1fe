import type { ContainerClient } from '@azure/storage-blob';
import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import { type IncidentFindingSink, incidentFindingPublisher } from '../core/findings/publish-incident.ts';
import type { HandleDeps } from '../core/handle.ts';
import { incidentJournal, type WriteOnceStore } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';
import { lazyPackPublisher, packFolder } from '../core/report/pack-folder.ts';
import type { RetryPolicy } from '../core/retry.ts';
import { PACKS } from '../packs/index.ts';
import type { AzureClients } from './clients.ts';
import { parseAzureEvent, parseAzureTarget } from './events/index.ts';
import { evidencePreflight } from './evidence-preflight.ts';
import type { FanoutWorkResult } from './evidence-worker.ts';
import type { CopyOptions } from './executors/copy-blob-evidence.ts';
import { ESCALATION_LOG_MESSAGE, type Escalation } from './executors/escalate.ts';
import { FANOUT_PAGE_SIZE } from './executors/evidence-fanout.ts';
import { azureExecutors } from './executors/index.ts';
import { blobJournalStore } from './journal-store.ts';
import { type Log, processLog } from './log.ts';
import { type Post, webhookNotifier } from './notify-webhooks.ts';

/** Everything a function invocation needs, built once per cold start. */
export interface AzureRuntime {
  config: Config;
  /** Dependencies for one invocation: the shared clients with this invocation's deadline. */
  deps(options?: Pick<HandleDeps, 'deadline' | 'onProgress'>): HandleDeps;
  parsers: ManualParsers;
  /** The evidence container as a write-once store: the journal's, the grant index's, posture reports'. */
  store: WriteOnceStore;
  /** Warnings about the evidence container, checked once. */
  preflight: Promise<string[]>;
  /**
   * Works one page of an evidence fan-out job (the `tourniquet-evidence-worker` queue trigger);
   * `retry` when the queue delivers the message again.
   */
  evidencePage(message: unknown, retry: boolean): Promise<FanoutWorkResult>;
}

export interface RuntimeOptions {
  /** The evidence container (defaults to `azure.evidence` through `clients.blob`). */
  evidence?: ContainerClient;
  log?: Log;
  retry?: RetryPolicy;
  now?: () => Date;
  copy?: CopyOptions;
  /** How escalations are posted to `azure.notify.webhooks` (default: fetch). */
  post?: Post;
  /** Where each incident's finding goes after every phase (an Event Grid topic); none without it. */
  findingSink?: IncidentFindingSink;
  /** Blobs per fan-out page (default FANOUT_PAGE_SIZE). */
  fanoutPageSize?: number;
}

/**
 * Composes the Azure runtime from a parsed configuration and clients, in the same order as
 * buildAwsRuntime: the configuration (fails closed: without an `azure` section nothing is built),
 * the journal on the evidence container, the executors (guarding responders and break-glass), the
 * dependencies with the packs, the event parsers. (Azure's clients come in built: wiring.ts makes
 * them after loading the SDKs, on the first invocation, so registering the functions stays fast.)
 */
export function buildAzureRuntime(
  config: Config,
  clients: AzureClients,
  options: RuntimeOptions = {},
): AzureRuntime {
  const azure = config.azure;
  if (!azure)
    throw new ConfigError(
      'the configuration has no "azure" section: the Azure functions do nothing without one',
    );
  const log = options.log ?? processLog;
  const evidenceName = /\/storageAccounts\/([a-z0-9]+)$/i.exec(azure.evidence.storageAccount)?.[1] ?? '';
  const evidence =
    options.evidence ?? clients.blob(evidenceName.toLowerCase()).getContainerClient(azure.evidence.container);
  const store = blobJournalStore(evidence);
  const journal = incidentJournal(store);
  const where = (key: string) => `${evidence.url}/${key}`;
  const webhooks = webhookNotifier(azure.notify.webhooks, options.post);
  const notify = (e: Escalation) => {
    log.warn(ESCALATION_LOG_MESSAGE, { ...e });
    return webhooks(e);
  };
  // Above limits.evidenceJobAbove blobs (with maxObjects above it), the fan-out function takes the
  // per-blob work, through the evidence account's queue (docs/evidence-jobs.md).
  const fanout =
    clients.queue && config.limits.maxObjects > config.limits.evidenceJobAbove
      ? {
          above: config.limits.evidenceJobAbove,
          pageSize: options.fanoutPageSize ?? FANOUT_PAGE_SIZE,
          store,
          queue: clients.queue(evidenceName.toLowerCase()),
          location: where,
        }
      : undefined;
  const executors = azureExecutors(clients, {
    ...(fanout ? { fanout } : {}),
    guarded: [...azure.responders, ...azure.protectedPrincipals],
    evidence: store,
    notify,
    packLocation: (id) => where(packFolder(id)),
    ...(options.copy ? { copy: options.copy } : {}),
  });
  // The evidence pack (JSON + HTML) lands next to the journal after containment and after release.
  const publishPack = lazyPackPublisher(store, journal, config, where, options.now);
  // A dry run reads nothing (docs/azure.md): not even the evidence container's settings.
  const checked = config.mode === 'enforce' ? evidencePreflight(evidence) : Promise.resolve([]);
  const preflight = checked.then(
    (warnings) => {
      for (const w of warnings) log.warn('evidence preflight', { warning: w });
      return warnings;
    },
    (error: unknown) => {
      const warning = `evidence preflight could not run: ${(error as Error).message}`;
      log.warn('evidence preflight', { warning });
      return [warning];
    },
  );
  const deps: HandleDeps = {
    config,
    packs: PACKS,
    executors,
    journal,
    publishPack,
    ...(options.findingSink
      ? { publishFinding: incidentFindingPublisher(journal, options.findingSink, options.now) }
      : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  return {
    config,
    deps: (extra = {}) => ({ ...deps, ...extra }),
    parsers: { parseEvent: parseAzureEvent, parseTarget: parseAzureTarget },
    store,
    preflight,
    async evidencePage(message, retry) {
      const { workFanoutPage } = await import('./evidence-worker.ts');
      return workFanoutPage(
        message,
        {
          clients,
          store,
          journal,
          publishPack,
          location: where,
          ...(options.now ? { now: options.now } : {}),
          ...(options.copy?.pollIntervalMs ? { pollIntervalMs: options.copy.pollIntervalMs } : {}),
        },
        retry,
      );
    },
  };
}
