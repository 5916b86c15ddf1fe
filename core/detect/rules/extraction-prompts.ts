import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { callerWindows } from '../caller-windows.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { EXTRACTION_PATTERNS, firstMatch, mayMatchBuiltIn } from '../patterns.ts';
import { repeatedRun } from '../repeated-run.ts';
import { describeWindow } from '../window.ts';
import { actorOf } from './bulk-read.ts';

/**
 * Rule 4c: known extraction prompts (divergence/repetition, verbatim-prefix completion, system
 * prompt extraction, logprob harvesting; table in patterns.ts), counted per caller and window.
 * One such prompt is curiosity; `minMatches` of them is a campaign.
 */
export function extractionPromptsDetector(config: Config): Detector {
  const t = config.detect.thresholds.extractionPrompts;
  const windows = callerWindows(
    'extraction-prompts',
    t.windowMinutes,
    () => ({
      counts: { matches: 0 },
      extra: new Set<string>(),
    }),
    config.detect.maxStateEntries,
  );
  return {
    id: 'extraction-prompts',
    kinds: ['inference'],
    observe(r) {
      if (r.kind !== 'inference' || !r.prompt) return;
      const technique =
        (mayMatchBuiltIn(r.prompt) ? firstMatch(r.prompt, EXTRACTION_PATTERNS) : undefined) ??
        (repeatedRun(r.prompt) ? 'repeated-token-run' : undefined);
      if (!technique) return;
      const w = windows.at(r);
      w.counts.matches++;
      w.extra.add(technique);
    },
    hasSpilled: windows.hasSpilled,
    async flush(state, only) {
      const alerts: Alert[] = [];
      for await (const [w, totals] of windows.flush(state, only)) {
        if ((totals.matches ?? 0) < t.minMatches) continue;
        alerts.push(
          detectorAlert({
            rule: 'extraction-prompts',
            type: DETECTOR_ALERT_TYPES.extractionPrompts,
            severity: t.severity,
            ...origin(w.r),
            resources: [],
            observedAt: w.lastAt,
            subject: actorOf(w.r.caller),
            window: w.window,
            title: `${w.r.caller.id} sent ${totals.matches} model-extraction prompts`,
            evidence: {
              matches: totals.matches,
              minMatches: t.minMatches,
              techniques: [...w.extra],
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
