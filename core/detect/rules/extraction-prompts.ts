import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { EXTRACTION_PATTERNS, firstMatch, repeatedRun } from '../patterns.ts';
import type { InferenceRecord } from '../records.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';

/**
 * Rule 4c: known extraction prompts (divergence/repetition, verbatim-prefix completion, system
 * prompt extraction, logprob harvesting; table in patterns.ts), counted per caller and window.
 * One such prompt is curiosity; `minMatches` of them is a campaign.
 */
export function extractionPromptsDetector(config: Config): Detector {
  const t = config.detect.thresholds.extractionPrompts;
  let partials = new Map<
    string,
    { r: InferenceRecord; window: number; matches: number; lastAt: number; techniques: Set<string> }
  >();
  return {
    id: 'extraction-prompts',
    observe(r) {
      if (r.kind !== 'inference' || !r.prompt) return;
      const technique =
        firstMatch(r.prompt, EXTRACTION_PATTERNS) ??
        (repeatedRun(r.prompt) ? 'repeated-token-run' : undefined);
      if (!technique) return;
      const window = windowStart(r.at, t.windowMinutes);
      const key = `${r.caller.id}|${window}`;
      let p = partials.get(key);
      if (p === undefined) {
        p = {
          r,
          window,
          matches: 0,
          lastAt: r.at,
          techniques: new Set(),
        };
        partials.set(key, p);
      }
      p.matches++;
      p.lastAt = Math.max(p.lastAt, r.at);
      p.techniques.add(technique);
    },
    async flush(state) {
      const batch = [...partials.values()];
      partials = new Map();
      const alerts: Alert[] = [];
      for (const p of batch) {
        const totals = await state.add(
          `extraction-prompts|${p.r.caller.id}|${p.window}`,
          { matches: p.matches },
          windowExpiry(p.window, t.windowMinutes),
        );
        if ((totals.matches ?? 0) < t.minMatches) continue;
        alerts.push(
          detectorAlert({
            rule: 'extraction-prompts',
            type: DETECTOR_ALERT_TYPES.extractionPrompts,
            severity: t.severity,
            cloud: p.r.cloud,
            account: p.r.account,
            ...(p.r.region ? { region: p.r.region } : {}),
            principal: p.r.caller,
            resources: [],
            observedAt: p.lastAt,
            subject: p.r.caller.id,
            window: p.window,
            title: `${p.r.caller.id} sent ${totals.matches} model-extraction prompts`,
            evidence: {
              matches: totals.matches,
              minMatches: t.minMatches,
              techniques: [...p.techniques],
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
