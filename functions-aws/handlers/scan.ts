import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { findingLine } from '../../core/detect/finding-line.ts';
import { routeFindings } from '../../core/detect/modes.ts';
import type { ScannedLog, ScanResult } from '../../core/detect/scan-result.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import { type HandleDeps, type HandleResult, handleParsedEvent } from '../../core/handle.ts';
import { AWS_PACKS } from '../../packs/aws-deployment.ts';
import { logObjectsOf } from '../detect/s3-log-object.ts';
import { awsScanDeps } from '../detect/scan-deps.ts';
import { scanLogObjects } from '../detect/scan-log-objects.ts';
import { deadlineOf, type LambdaContext } from '../lambda-context.ts';
import { logOutcomes } from '../log-outcome.ts';
import { logger } from '../logger.ts';

export interface AwsScanDeps {
  config: Config;
  s3: S3Client;
  state: WindowStore;
  /** The containment the `contain` function uses; without it the scan only decides and logs. */
  contain?: HandleDeps;
}

/**
 * The `scan` Lambda: a log object landed (S3 notification or EventBridge `Object Created`); it is
 * streamed through the detectors and their alerts go in process to the same decision and
 * containment as GuardDuty's (core `handleParsedEvent`).
 */
export function createScanHandler(
  getDeps: (context?: Pick<LambdaContext, 'invokedFunctionArn'>) => Promise<AwsScanDeps>,
) {
  return async (
    event: unknown,
    context?: Pick<LambdaContext, 'getRemainingTimeInMillis'> &
      Partial<Pick<LambdaContext, 'invokedFunctionArn'>>,
  ): Promise<ScanResult> => {
    const deps = await getDeps(
      context?.invokedFunctionArn ? { invokedFunctionArn: context.invokedFunctionArn } : undefined,
    );
    const contain =
      deps.contain && context ? { ...deps.contain, deadline: deadlineOf(context) } : deps.contain;
    let objects: ReturnType<typeof logObjectsOf>;
    try {
      objects = logObjectsOf(event);
    } catch (error) {
      if (!(error instanceof RejectedInputError)) throw error;
      logger.warn('scan event rejected', { reason: describeError(error) });
      return { rejected: error.message };
    }
    const { scanned, alerts } = await scanLogObjects(objects, deps);
    // Each detector acts only per its mode: audit records what it would do, low findings stay signals.
    const routed = routeFindings(alerts, deps.config);
    const now = new Date();
    const audited = routed.audit.map((f) =>
      findingLine(f, deps.config, decide(f, deps.config, { now, packs: AWS_PACKS })),
    );
    logger.info('scanned', { scanned, findings: alerts.length, signals: routed.signals.length, audited });
    const { outcomes, failure } = await decideAndContain(routed.act, deps.config, contain, scanned);
    logOutcomes(outcomes);
    if (failure) throw failure;
    return { scanned, decisions: outcomes.map((o) => o.decision), audited };
  };
}

/** Contains in process like the `contain` function; without containment wired, decides only. */
async function decideAndContain(
  alerts: Alert[],
  config: Config,
  contain: HandleDeps | undefined,
  scanned: ScannedLog[],
): Promise<HandleResult> {
  if (!contain) {
    const now = new Date();
    return {
      outcomes: alerts.map((alert) => ({ decision: decide(alert, config, { now, packs: AWS_PACKS }) })),
    };
  }
  return handleParsedEvent({ kind: 'alerts', alerts }, contain, { event: { scanned } });
}

/** Wired once per cold start on the composition root (detect/scan-deps.ts). */
export const handler = middy(createScanHandler((context) => awsScanDeps(process.env, context))).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
