import type { S3Client } from '@aws-sdk/client-s3';
import type { Decision } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import { type HandleDeps, handleParsedEvent } from '../../core/handle.ts';
import { logObjectsOf } from '../detect/s3-log-object.ts';
import { type ScannedObject, scanLogObjects } from '../detect/scan-log-objects.ts';
import { logger } from '../logger.ts';

export interface ScanDeps {
  config: Config;
  s3: S3Client;
  state: WindowStore;
  /** The containment the `contain` function uses; without it the scan only decides and logs. */
  contain?: HandleDeps;
}

/** What one invocation did: each object scanned or skipped, and the decision on each alert. */
export type ScanResult = { rejected: string } | { scanned: ScannedObject[]; decisions: Decision[] };

/**
 * The `scan` Lambda: a log object landed (S3 notification or EventBridge `Object Created`); it is
 * streamed through the detectors and their alerts go in process to the same decision and
 * containment as GuardDuty's (core `handleParsedEvent`).
 */
export function createScanHandler(getDeps: () => Promise<ScanDeps>) {
  return async (event: unknown): Promise<ScanResult> => {
    const deps = await getDeps();
    let objects: ReturnType<typeof logObjectsOf>;
    try {
      objects = logObjectsOf(event);
    } catch (error) {
      if (!(error instanceof RejectedInputError)) throw error;
      logger.warn('scan event rejected', { reason: describeError(error) });
      return { rejected: error.message };
    }
    const { scanned, alerts } = await scanLogObjects(objects, deps);
    logger.info('scanned', { scanned, alerts: alerts.length });
    const now = new Date();
    const outcomes = deps.contain
      ? await handleParsedEvent({ kind: 'alerts', alerts }, deps.contain, { event: { scanned } })
      : alerts.map((alert) => ({ decision: decide(alert, deps.config, { now }) }));
    for (const o of outcomes)
      logger.info('detector alert', {
        decision: o.decision.decision,
        incidentId: o.decision.incidentId,
        reason: o.decision.reason,
      });
    return { scanned, decisions: outcomes.map((o) => o.decision) };
  };
}

/** Wired from the environment at cold start (scan-deps.ts); the integrator adds containment there. */
export const handler = createScanHandler(async () => (await import('../detect/scan-deps.ts')).scanDeps());
