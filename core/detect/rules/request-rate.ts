import type { Alert, PrincipalRef } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { matchesAny } from '../../principal-match.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import type { InferenceRecord } from '../records.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';

/**
 * Rule 4a: inference requests per caller and window, across files and writers. Extraction needs
 * volume; detect.knownCallers (the serving fleet, batch jobs) are exempt from this rule only.
 */
export function requestRateDetector(config: Config): Detector {
  const t = config.detect.thresholds.requestRate;
  let partials = new Map<
    string,
    { r: InferenceRecord; window: number; requests: number; tokens: number; lastAt: number }
  >();
  const known = new Map<string, boolean>();
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
    observe(r) {
      if (r.kind !== 'inference' || isKnown(r.caller)) return;
      const window = windowStart(r.at, t.windowMinutes);
      const key = `${r.caller.id}|${window}`;
      let p = partials.get(key);
      if (p === undefined) {
        p = { r, window, requests: 0, tokens: 0, lastAt: r.at };
        partials.set(key, p);
      }
      p.requests++;
      p.tokens += r.outputTokens ?? 0;
      p.lastAt = Math.max(p.lastAt, r.at);
    },
    async flush(state) {
      const batch = [...partials.values()];
      partials = new Map();
      const alerts: Alert[] = [];
      for (const p of batch) {
        const totals = await state.add(
          `request-rate|${p.r.caller.id}|${p.window}`,
          { requests: p.requests, outputTokens: p.tokens },
          windowExpiry(p.window, t.windowMinutes),
        );
        if ((totals.requests ?? 0) <= t.maxRequests) continue;
        alerts.push(
          detectorAlert({
            rule: 'request-rate',
            type: DETECTOR_ALERT_TYPES.requestRate,
            severity: t.severity,
            cloud: p.r.cloud,
            account: p.r.account,
            ...(p.r.region ? { region: p.r.region } : {}),
            principal: p.r.caller,
            resources: [],
            observedAt: p.lastAt,
            subject: p.r.caller.id,
            window: p.window,
            title: `${p.r.caller.id} made ${totals.requests} inference requests in ${t.windowMinutes} min`,
            evidence: {
              requests: totals.requests,
              maxRequests: t.maxRequests,
              outputTokens: totals.outputTokens,
              endpoint: p.r.endpoint,
              window: describeWindow(p.window, t.windowMinutes),
            },
          }),
        );
      }
      return alerts;
    },
  };
}
