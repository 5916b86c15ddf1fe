import type { ContainerClient } from '@azure/storage-blob';
import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { HandleDeps } from '../core/handle.ts';
import { incidentJournal, type WriteOnceStore } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';
import type { RetryPolicy } from '../core/retry.ts';
import type { AzureClients } from './clients.ts';
import { parseAzureEvent, parseAzureTarget } from './events/index.ts';
import { evidencePreflight } from './evidence-preflight.ts';
import type { CopyOptions } from './executors/copy-blob-evidence.ts';
import type { Escalation } from './executors/escalate.ts';
import { azureExecutors } from './executors/index.ts';
import { blobJournalStore } from './journal-store.ts';
import { type Log, processLog } from './log.ts';

/** Everything a function invocation needs, built once per cold start. */
export interface AzureRuntime {
  config: Config;
  /** Containment for `handleParsedEvent` / `runManualCommand`; add the invocation's deadline. */
  deps: HandleDeps;
  parsers: ManualParsers;
  /** The evidence container as a write-once store: the journal's, the grant index's, posture reports'. */
  store: WriteOnceStore;
  /** Warnings about the evidence container, checked once. */
  preflight: Promise<string[]>;
}

export interface RuntimeOptions {
  /** The evidence container (defaults to `azure.evidence` through `clients.blob`). */
  evidence?: ContainerClient;
  log?: Log;
  retry?: RetryPolicy;
  now?: () => Date;
  copy?: CopyOptions;
}

/**
 * Composes the Azure runtime from a parsed configuration and clients: executors (guarding
 * responders and break-glass), the journal on the evidence container, the event parsers.
 * Fails closed: without an `azure` section nothing is built.
 */
export function createRuntime(
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
  const notify = (e: Escalation) => log.warn('tourniquet.escalation', { ...e });
  const executors = azureExecutors(clients, {
    guarded: [...azure.responders, ...azure.protectedPrincipals],
    evidence: store,
    notify,
    ...(options.copy ? { copy: options.copy } : {}),
  });
  const preflight = evidencePreflight(evidence).then(
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
  return {
    config,
    deps: {
      config,
      executors,
      journal: incidentJournal(store),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.now ? { now: options.now } : {}),
    },
    parsers: { parseEvent: parseAzureEvent, parseTarget: parseAzureTarget },
    store,
    preflight,
  };
}
