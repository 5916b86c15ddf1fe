import type { DetectorAlertType } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import type { InferenceRecord } from '../records.ts';
import { describeWindow, windowStart } from '../window.ts';
import { actorOf } from './bulk-read.ts';

/** Content rules group their hits per caller and hour: one alert says how many and which. */
const WINDOW_MINUTES = 60;

export interface ContentRule {
  id: string;
  type: DetectorAlertType;
  severity: number;
  /** The name of what matched in the record (a pattern, a canary token's label), or undefined. */
  test(r: InferenceRecord): string | undefined;
  title(callerId: string, hits: number): string;
}

/**
 * A stateless content rule: every matching prompt or response is evidence on its own, so no window
 * state is needed; the dedupe key (caller and hour) merges hits from several files into one incident.
 */
export function contentMatchDetector(rule: ContentRule): Detector {
  let partials = new Map<
    string,
    {
      r: InferenceRecord;
      window: number;
      hits: number;
      lastAt: number;
      matched: Set<string>;
      requests: string[];
    }
  >();
  return {
    id: rule.id,
    kinds: ['inference'],
    observe(r) {
      if (r.kind !== 'inference') return;
      const matched = rule.test(r);
      if (!matched) return;
      const window = windowStart(r.at, WINDOW_MINUTES);
      const key = `${actorOf(r.caller)}|${window}`;
      let p = partials.get(key);
      if (p === undefined) {
        p = {
          r,
          window,
          hits: 0,
          lastAt: r.at,
          matched: new Set<string>(),
          requests: [],
        };
        partials.set(key, p);
      }
      p.hits++;
      p.lastAt = Math.max(p.lastAt, r.at);
      p.matched.add(matched);
      if (p.requests.length < 10) p.requests.push(r.sourceId);
    },
    async flush() {
      const batch = [...partials.values()];
      partials = new Map();
      return batch.map((p) =>
        detectorAlert({
          rule: rule.id,
          type: rule.type,
          severity: rule.severity,
          ...origin(p.r),
          resources: [],
          observedAt: p.lastAt,
          subject: actorOf(p.r.caller),
          window: p.window,
          title: rule.title(p.r.caller.id, p.hits),
          evidence: {
            hits: p.hits,
            matched: [...p.matched],
            requestIds: p.requests,
            endpoint: p.r.endpoint,
            window: describeWindow(p.window, WINDOW_MINUTES),
          },
        }),
      );
    },
  };
}
