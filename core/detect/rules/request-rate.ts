import type { Alert, PrincipalRef } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { matchesAny } from '../../principal-match.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { callerWindows } from '../caller-windows.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { lru } from '../lru.ts';
import { describeWindow } from '../window.ts';
import { actorOf } from './bulk-read.ts';

/**
 * Rule 4a: inference requests per caller and window, across files and writers. Extraction needs
 * volume; detect.knownCallers (the serving fleet, batch jobs) are exempt from this rule only.
 */
export function requestRateDetector(config: Config): Detector {
  const t = config.detect.thresholds.requestRate;
  const windows = callerWindows(
    'request-rate',
    t.windowMinutes,
    () => ({
      counts: { requests: 0, outputTokens: 0 },
      extra: undefined,
    }),
    config.detect.maxStateEntries,
  );
  // Per caller, bounded: a log may name a million callers.
  const known = lru<string, boolean>(config.detect.maxStateEntries);
  const isKnown = (p: PrincipalRef) => {
    let k = known.get(p.id);
    if (k === undefined) {
      k = matchesAny(config.detect.knownCallers, p);
      known.set(p.id, k);
    }
    return k;
  };
  return {
    id: 'request-rate',
    kinds: ['inference'],
    observe(r) {
      if (r.kind !== 'inference' || isKnown(r.caller)) return;
      const w = windows.at(r);
      w.counts.requests++;
      w.counts.outputTokens += r.outputTokens ?? 0;
    },
    hasSpilled: windows.hasSpilled,
    async flush(state, only) {
      const alerts: Alert[] = [];
      for await (const [w, totals] of windows.flush(state, only)) {
        if ((totals.requests ?? 0) <= t.maxRequests) continue;
        alerts.push(
          detectorAlert({
            rule: 'request-rate',
            type: DETECTOR_ALERT_TYPES.requestRate,
            severity: t.severity,
            ...origin(w.r),
            resources: [],
            observedAt: w.lastAt,
            subject: actorOf(w.r.caller),
            window: w.window,
            title: `${w.r.caller.id} made ${totals.requests} inference requests in ${t.windowMinutes} min`,
            evidence: {
              requests: totals.requests,
              maxRequests: t.maxRequests,
              outputTokens: totals.outputTokens,
              endpoint: w.r.endpoint,
              window: describeWindow(w.window, t.windowMinutes),
            },
          }),
        );
      }
      return alerts;
    },
  };
}
