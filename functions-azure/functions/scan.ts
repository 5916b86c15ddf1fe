import functions, { type InvocationContext } from '@azure/functions';
import type { BlobClient } from '@azure/storage-blob';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { findingLine } from '../../core/detect/finding-line.ts';
import { routeFindings } from '../../core/detect/modes.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import type { ScanResult } from '../../core/detect/scan-result.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import { type HandleDeps, handleParsedEvent } from '../../core/handle.ts';
import { blobUrl } from '../../packs/azure/names.ts';
import { PACKS } from '../../packs/index.ts';
import { completedBlob, type LogBlob, logBlobOf, openBlob } from '../detect/log-blob.ts';

export interface AzureScanDeps {
  config: Config;
  state: WindowStore;
  blobClient: (blob: LogBlob) => BlobClient;
  /** The containment the other functions use; without it the scan decides and logs only. */
  contain?: HandleDeps;
}

/**
 * The Azure `scan` function: a diagnostic log blob was created (Event Grid BlobCreated on the
 * `insights-logs-*` containers); the completed log blob is streamed through the detectors, once,
 * and the alerts go in process to the same decision and containment as Defender's.
 */
export function createScanFunction(getDeps: () => Promise<AzureScanDeps>) {
  return async (event: unknown, context: InvocationContext): Promise<ScanResult> => {
    const deps = await getDeps();
    let target: LogBlob;
    try {
      target = completedBlob(logBlobOf(event));
    } catch (error) {
      if (!(error instanceof RejectedInputError)) throw error;
      context.warn('scan event rejected', describeError(error));
      return { rejected: error.message };
    }
    const name = `${target.account}/${target.container}/${target.blob}`;
    const object = blobUrl(target.account, target.container, target.blob);
    const skipped = (why: string): ScanResult => ({ scanned: [{ object, skipped: why }], decisions: [] });
    // Block blobs fire BlobCreated at every commit: the first delivery claims the finished blob.
    const claim = `scanned|${name}`;
    if (((await deps.state.add(claim, { n: 1 }, new Date(Date.now() + 7 * 86_400_000))).n ?? 0) > 1)
      return skipped('already scanned');
    try {
      const body = await openBlob(deps.blobClient(target));
      if (!body) return skipped('does not exist');
      const { stats, alerts: findings } = await createScanSession(deps.config, deps.state, {
        packs: PACKS,
      }).scan(body);
      // Each detector acts only per its mode: audit records what it would do, low findings stay signals.
      const routed = routeFindings(findings, deps.config);
      const alerts = routed.act;
      const now = new Date();
      const audited = routed.audit.map((f) =>
        findingLine(f, deps.config, decide(f, deps.config, { now, packs: PACKS })),
      );
      context.log(
        'scanned',
        JSON.stringify({ blob: name, stats, findings: findings.length, alerts: alerts.length, audited }),
      );
      const { outcomes, failure } = deps.contain
        ? await handleParsedEvent({ kind: 'alerts', alerts }, deps.contain, { event: { blob: name, stats } })
        : {
            outcomes: alerts.map((alert) => ({
              decision: decide(alert, deps.config, { now, packs: PACKS }),
            })),
          };
      if (failure) throw failure;
      return { scanned: [{ object, stats }], decisions: outcomes.map((o) => o.decision), audited };
    } catch (error) {
      // Give the claim back so Event Grid's retry scans the blob again.
      await deps.state.add(claim, { n: -1 }, new Date(Date.now() + 7 * 86_400_000));
      if (error instanceof RejectedInputError) return skipped(describeError(error));
      throw error;
    }
  };
}

/** The function's name, next to tourniquet-events / -manual / -alert (functions/register.ts). */
export const SCAN_FUNCTION = 'tourniquet-scan';

functions.app.eventGrid(SCAN_FUNCTION, {
  handler: createScanFunction(async () => (await import('../detect/scan-deps.ts')).azureScanDeps()),
});
