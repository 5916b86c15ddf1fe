import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { callerWindows } from '../caller-windows.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { atLeastSameAt, SKETCH_BINS, type Sketch, sketchInto } from '../minhash.ts';
import { describeWindow } from '../window.ts';

/** Each prompt is compared with the caller's last RECENT prompts (bounded work per record). */
const RECENT = 32;
/** Callers whose recent sketches are kept in memory; the oldest is dropped past this. */
const MAX_CALLERS = 5_000;

/**
 * A caller's last RECENT sketches, back to back in one array (grown as the caller sends more), with
 * the slot the next one overwrites: a ring, so nothing shifts and no sketch is allocated.
 */
interface Recent {
  sketches: Uint32Array;
  count: number;
  next: number;
}

/** Is the new sketch a near-duplicate of one of the recent ones (estimated Jaccard ≥ threshold)? */
export function nearDuplicate(recent: Recent, s: Sketch, threshold: number): boolean {
  const need = Math.ceil(threshold * SKETCH_BINS);
  for (let k = 0; k < recent.count; k++)
    if (atLeastSameAt(recent.sketches, k * SKETCH_BINS, s, need)) return true;
  return false;
}

/** Keeps `s` in the ring, over the oldest once it holds RECENT sketches. */
function remember(recent: Recent, s: Sketch): void {
  const slot = recent.next;
  if ((slot + 1) * SKETCH_BINS > recent.sketches.length) {
    const grown = new Uint32Array(Math.min(recent.sketches.length * 2, RECENT * SKETCH_BINS));
    grown.set(recent.sketches);
    recent.sketches = grown;
  }
  recent.sketches.set(s, slot * SKETCH_BINS);
  if (recent.count < RECENT) recent.count++;
  recent.next = (slot + 1) % RECENT;
}

/**
 * Rule 4b: systematically varied prompts. Model extraction and training-data reconstruction send
 * many prompts that differ in a few words (a template filled with names, prefixes shifted by a
 * token); ordinary users rarely do. Per caller and window, the share of prompts that are
 * near-duplicates of a recent prompt of the same caller is counted across files in the WindowStore.
 */
export function variedPromptsDetector(config: Config): Detector {
  const t = config.detect.thresholds.variedPrompts;
  const recent = new Map<string, Recent>();
  const scratch = new Uint32Array(SKETCH_BINS);
  /** Windows of this file alerted on when spilled (caller|window → dedupe key): few, alerts only. */
  const provisional = new Map<string, string>();
  let withdrawn: string[] = [];
  const windows = callerWindows(
    'varied-prompts',
    t.windowMinutes,
    () => ({
      counts: { prompts: 0, nearDuplicates: 0 },
      extra: [] as string[],
    }),
    config.detect.maxStateEntries,
  );
  return {
    id: 'varied-prompts',
    kinds: ['inference'],
    observe(r) {
      if (r.kind !== 'inference' || !r.prompt) return;
      sketchInto(r.prompt, scratch);
      let ring = recent.get(r.caller.id);
      if (ring === undefined) {
        if (recent.size >= MAX_CALLERS) recent.delete(recent.keys().next().value as string);
        ring = { sketches: new Uint32Array(4 * SKETCH_BINS), count: 0, next: 0 };
        recent.set(r.caller.id, ring);
      }
      const dup = nearDuplicate(ring, scratch, t.similarity);
      remember(ring, scratch);
      const w = windows.at(r);
      w.counts.prompts++;
      if (dup) {
        w.counts.nearDuplicates++;
        if (w.extra.length < 3) w.extra.push(r.prompt.slice(0, 160));
      }
    },
    hasSpilled: windows.hasSpilled,
    withdrawn() {
      const keys = withdrawn;
      withdrawn = [];
      return keys;
    },
    async flush(state, only) {
      // The last evaluation of each caller and window wins (a window spilled several times appears
      // several times, in order, the later with the fuller totals).
      const latest = new Map<string, Alert | null>();
      for await (const [w, totals] of windows.flush(state, only)) {
        const prompts = totals.prompts ?? 0;
        const ratio = prompts ? (totals.nearDuplicates ?? 0) / prompts : 0;
        const window = `${w.r.caller.id}|${w.window}`;
        if (prompts < t.minPrompts || ratio < t.minRatio) {
          latest.set(window, null);
          continue;
        }
        const alert = detectorAlert({
          rule: 'varied-prompts',
          type: DETECTOR_ALERT_TYPES.variedPrompts,
          severity: t.severity,
          ...origin(w.r),
          resources: [],
          observedAt: w.lastAt,
          subject: w.r.caller.id,
          window: w.window,
          title: `${w.r.caller.id} sent ${totals.nearDuplicates} near-duplicate prompts out of ${prompts}`,
          evidence: {
            prompts,
            nearDuplicates: totals.nearDuplicates,
            ratio: Math.round(ratio * 100) / 100,
            minRatio: t.minRatio,
            minPrompts: t.minPrompts,
            similarity: t.similarity,
            examples: w.extra,
            endpoint: w.r.endpoint,
            window: describeWindow(w.window, t.windowMinutes),
          },
        });
        latest.set(window, alert);
      }
      // A ratio can fall again: an alert an earlier spilled flush of this file raised is withdrawn
      // when the same caller and window, with the file's later records, is back under the limit.
      const alerts: Alert[] = [];
      for (const [window, alert] of latest) {
        const earlier = provisional.get(window);
        if (alert === null) {
          if (earlier !== undefined) withdrawn.push(earlier);
          provisional.delete(window);
          continue;
        }
        alerts.push(alert);
        if (only === 'spilled') provisional.set(window, alert.dedupeKey);
      }
      if (only !== 'spilled') provisional.clear();
      return alerts;
    },
  };
}
