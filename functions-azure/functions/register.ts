import functions from '@azure/functions';
import { FANOUT_QUEUE } from '../executors/evidence-fanout.ts';
import type { AzureRuntime } from '../runtime.ts';
import { alertHandler } from './alert-http.ts';
import { eventGridHandler } from './event-grid.ts';
import { evidenceWorkerHandler } from './evidence-worker.ts';
import { manualHandler } from './manual-http.ts';

/** Function names and routes, for the deployment docs and the registration test. */
export const FUNCTIONS = {
  events: 'tourniquet-events',
  manual: { name: 'tourniquet-manual', route: 'tourniquet/manual' },
  alert: { name: 'tourniquet-alert', route: 'tourniquet/alert' },
  /** The queue trigger's connection: app settings `TOURNIQUET_EVIDENCE_QUEUE__queueServiceUri` (+ managed identity). */
  evidence: {
    name: 'tourniquet-evidence-worker',
    queue: FANOUT_QUEUE,
    connection: 'TOURNIQUET_EVIDENCE_QUEUE',
  },
} as const;

/**
 * Registers the Azure functions (v4 programming model): the Event Grid trigger that contains
 * automatically, the manual command endpoint and the alert webhook, both behind function keys.
 */
export function registerFunctions(getRuntime: () => Promise<AzureRuntime>): void {
  const { app } = functions;
  app.eventGrid(FUNCTIONS.events, { handler: eventGridHandler(getRuntime) });
  app.http(FUNCTIONS.manual.name, {
    route: FUNCTIONS.manual.route,
    methods: ['POST'],
    authLevel: 'function',
    handler: manualHandler(getRuntime),
  });
  app.http(FUNCTIONS.alert.name, {
    route: FUNCTIONS.alert.route,
    methods: ['POST', 'OPTIONS'],
    authLevel: 'function',
    handler: alertHandler(getRuntime),
  });
  app.storageQueue(FUNCTIONS.evidence.name, {
    queueName: FUNCTIONS.evidence.queue,
    connection: FUNCTIONS.evidence.connection,
    handler: evidenceWorkerHandler(getRuntime),
  });
}
