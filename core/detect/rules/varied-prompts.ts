import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { atLeastSame, SKETCH_BINS, type Sketch, sketch } from '../minhash.ts';
import type { InferenceRecord } from '../records.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';

/** Each prompt is compared with the caller's last RECENT prompts (bounded work per record). */
const RECENT = 32;
/** Callers whose recent sketches are kept in memory; the oldest is dropped past this. */
const MAX_CALLERS = 5_000;

interface Partial {
  r: InferenceRecord;
  window: number;
  prompts: number;
  nearDuplicates: number;
  lastAt: number;
  examples: string[];
}

/** Is the new sketch a near-duplicate of one of the recent ones (estimated Jaccard ≥ threshold)? */
export function nearDuplicate(recent: readonly Sketch[], s: Sketch, threshold: number): boolean {
  const need = Math.ceil(threshold * SKETCH_BINS);
  for (const other of recent) if (atLeastSame(other, s, need)) return true;
  return false;
}

/**
 * Rule 4b: systematically varied prompts. Model extraction and training-data reconstruction send
 * many prompts that differ in a few words (a template filled with names, prefixes shifted by a
 * token); ordinary users rarely do. Per caller and window, the share of prompts that are
 * near-duplicates of a recent prompt of the same caller is counted across files in the WindowStore.
 */
export function variedPromptsDetector(config: Config): Detector {
  const t = config.detect.thresholds.variedPrompts;
  const recent = new Map<string, { sketches: Sketch[]; next: number }>();
  let partials = new Map<string, Partial>();
  return {
    id: 'varied-prompts',
    observe(r) {
      if (r.kind !== 'inference' || !r.prompt) return;
      const s = sketch(r.prompt);
      if (recent.size >= MAX_CALLERS && !recent.has(r.caller.id))
        recent.delete(recent.keys().next().value as string);
      let ring = recent.get(r.caller.id);
      if (ring === undefined) {
        ring = { sketches: [] as Sketch[], next: 0 };
        recent.set(r.caller.id, ring);
      }
      const dup = nearDuplicate(ring.sketches, s, t.similarity);
      // A ring: the oldest sketch is overwritten, nothing shifts.
      if (ring.sketches.length < RECENT) ring.sketches.push(s);
      else ring.sketches[ring.next] = s;
      ring.next = (ring.next + 1) % RECENT;
      const window = windowStart(r.at, t.windowMinutes);
      const key = `${r.caller.id}|${window}`;
      let p = partials.get(key);
      if (p === undefined) {
        p = {
          r,
          window,
          prompts: 0,
          nearDuplicates: 0,
          lastAt: r.at,
          examples: [],
        };
        partials.set(key, p);
      }
      p.prompts++;
      p.lastAt = Math.max(p.lastAt, r.at);
      if (dup) {
        p.nearDuplicates++;
        if (p.examples.length < 3) p.examples.push(r.prompt.slice(0, 160));
      }
    },
    async flush(state) {
      const batch = [...partials.values()];
      partials = new Map();
      const alerts: Alert[] = [];
      for (const p of batch) {
        const totals = await state.add(
          `varied-prompts|${p.r.caller.id}|${p.window}`,
          { prompts: p.prompts, nearDuplicates: p.nearDuplicates },
          windowExpiry(p.window, t.windowMinutes),
        );
        const prompts = totals.prompts ?? 0;
        const ratio = prompts ? (totals.nearDuplicates ?? 0) / prompts : 0;
        if (prompts < t.minPrompts || ratio < t.minRatio) continue;
        alerts.push(
          detectorAlert({
            rule: 'varied-prompts',
            type: DETECTOR_ALERT_TYPES.variedPrompts,
            severity: t.severity,
            cloud: p.r.cloud,
            account: p.r.account,
            ...(p.r.region ? { region: p.r.region } : {}),
            principal: p.r.caller,
            resources: [],
            observedAt: p.lastAt,
            subject: p.r.caller.id,
            window: p.window,
            title: `${p.r.caller.id} sent ${totals.nearDuplicates} near-duplicate prompts out of ${prompts}`,
            evidence: {
              prompts,
              nearDuplicates: totals.nearDuplicates,
              ratio: Math.round(ratio * 100) / 100,
              minRatio: t.minRatio,
              minPrompts: t.minPrompts,
              similarity: t.similarity,
              examples: p.examples,
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
