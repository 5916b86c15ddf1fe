import type { ExecutorRegistry } from '../../core/executor.ts';
import type { WriteOnceStore } from '../../core/journal.ts';
import type { AzureActionKind } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { type CopyOptions, copyBlobEvidence } from './copy-blob-evidence.ts';
import { disableLocalAuth } from './disable-local-auth.ts';
import { disableServicePrincipal } from './disable-service-principal.ts';
import { type Escalation, escalate, type Notified } from './escalate.ts';
import type { EvidenceFanout } from './evidence-fanout.ts';
import { grantRole } from './grant-role.ts';
import { guardedPrincipals } from './guarded.ts';
import { quarantineContainer } from './quarantine-container.ts';
import { quarantineStorageAccount } from './quarantine-storage-account.ts';
import { regenerateAiKeys } from './regenerate-ai-keys.ts';
import { removeDataRoleAssignments } from './remove-data-role-assignments.ts';
import { removeRoleAssignments } from './remove-role-assignments.ts';
import { restrictAiNetwork } from './restrict-ai-network.ts';
import { restrictStorageNetwork } from './restrict-storage-network.ts';
import { snapshotBlobs } from './snapshot-blobs.ts';

export type AzureExecutorKind = AzureActionKind | 'escalate';

export interface AzureExecutorOptions {
  /** Responder and protected (break-glass) object ids: no executor revokes them, whatever the plan says. */
  guarded: readonly string[];
  /** The evidence container as a write-once store (escalation records). */
  evidence: WriteOnceStore;
  /** Where escalations are announced (a structured log line, webhooks); answers where else they went. */
  notify: (escalation: Escalation) => Notified | Promise<Notified>;
  copy?: CopyOptions;
  /** Where an incident's evidence pack is written (named in escalations). */
  packLocation?: (incidentId: string) => string;
  /** Containers with more blobs than `fanout.above` go to the fan-out worker, page by page. */
  fanout?: EvidenceFanout;
}

/**
 * The Azure executor registry: one executor per Azure action kind plus `escalate`, checked by the
 * compiler. Permissions are ARM actions (`Microsoft.…`), data actions (`data:Microsoft.…`) and
 * Microsoft Graph application permissions (`graph:…`); functions-azure/deploy/tourniquet-role.json
 * grants exactly the ARM and data actions (a test holds them equal).
 */
export function azureExecutors(
  clients: AzureClients,
  options: AzureExecutorOptions,
): ExecutorRegistry<AzureExecutorKind> {
  const guarded = guardedPrincipals(options.guarded);
  return {
    'remove-role-assignments': removeRoleAssignments(clients, guarded),
    'disable-service-principal': disableServicePrincipal(clients, guarded),
    'quarantine-storage-account': quarantineStorageAccount(clients),
    'quarantine-container': quarantineContainer(clients),
    'remove-data-role-assignments': removeDataRoleAssignments(clients, guarded),
    'snapshot-blobs': snapshotBlobs(clients, options.fanout),
    'copy-blob-evidence': copyBlobEvidence(clients, options.copy),
    'disable-local-auth': disableLocalAuth(clients.ai),
    'regenerate-ai-keys': regenerateAiKeys(clients.ai),
    'restrict-ai-network': restrictAiNetwork(clients.ai),
    'restrict-storage-network': restrictStorageNetwork(clients),
    escalate: escalate(options.evidence, options.notify, options.packLocation),
    'grant-role': grantRole(clients),
  } satisfies ExecutorRegistry<AzureExecutorKind>;
}
