import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { callerWindows } from '../caller-windows.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert, origin } from '../detector-alert.ts';
import { atLeastSameAt, SKETCH_BINS, type Sketch, sketchInto } from '../minhash.ts';
import { describeWindow } from '../window.ts';
import type { WindowStore } from '../window-store.ts';
import { actorOf } from './bulk-read.ts';

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

/** What a caller (the principal: all its sessions share it) always sends: system prompt, RAG scaffolding. */
export interface Template {
  prefix: string;
  suffix: string;
  seen: number;
}

/** Longest template part kept per caller (bounded memory). */
const MAX_TEMPLATE = 8 * 1024;

/**
 * The part of a prompt the caller does not always send: the prefix and suffix its prompts so far
 * share (learned per caller) are cut off. Before two prompts are seen, the whole prompt.
 */
export function variablePart(recent: Template, prompt: string): string {
  if (recent.seen < 2) return prompt;
  const start = prompt.startsWith(recent.prefix) ? recent.prefix.length : 0;
  const end = prompt.endsWith(recent.suffix) ? prompt.length - recent.suffix.length : prompt.length;
  return end > start ? prompt.slice(start, end) : '';
}

/** Narrows the caller's template to what this prompt shares with it. */
export function learnTemplate(recent: Template, prompt: string): void {
  if (recent.seen === 0) {
    recent.prefix = prompt.slice(0, MAX_TEMPLATE);
    recent.suffix = prompt.slice(-MAX_TEMPLATE);
  } else {
    let i = 0;
    const p = recent.prefix;
    while (i < p.length && i < prompt.length && p.charCodeAt(i) === prompt.charCodeAt(i)) i++;
    recent.prefix = p.slice(0, i);
    let j = 0;
    const q = recent.suffix;
    while (
      j < q.length &&
      j < prompt.length &&
      q.charCodeAt(q.length - 1 - j) === prompt.charCodeAt(prompt.length - 1 - j)
    )
      j++;
    recent.suffix = q.slice(q.length - j);
  }
  recent.seen++;
}

/**
 * `variablePart` then `learnTemplate`, in one look at the prompt: the answer and the narrowed
 * template are theirs (test/detect/varied-prompts-template.test.ts). A templated caller's prompt
 * starts with the whole prefix and ends with the whole suffix, so two native comparisons settle
 * it; only a prompt that breaks the template is walked character by character.
 */
export function takeVariablePart(template: Template, prompt: string): string {
  if (template.seen === 0) {
    learnTemplate(template, prompt);
    return prompt;
  }
  const p = template.prefix;
  const q = template.suffix;
  const whole = template.seen < 2;
  const hasPrefix = prompt.startsWith(p);
  const hasSuffix = prompt.endsWith(q);
  const start = whole || !hasPrefix ? 0 : p.length;
  const end = whole || !hasSuffix ? prompt.length : prompt.length - q.length;
  if (!hasPrefix) {
    let i = 0;
    while (i < p.length && i < prompt.length && p.charCodeAt(i) === prompt.charCodeAt(i)) i++;
    template.prefix = p.slice(0, i);
  }
  if (!hasSuffix) {
    let j = 0;
    while (
      j < q.length &&
      j < prompt.length &&
      q.charCodeAt(q.length - 1 - j) === prompt.charCodeAt(prompt.length - 1 - j)
    )
      j++;
    template.suffix = q.slice(q.length - j);
  }
  template.seen++;
  return end > start ? prompt.slice(start, end) : '';
}

/**
 * A systematic sweep: a long prompt of which only a few characters change from the caller's
 * template (an incrementing record id, a shifted prefix, one swept parameter). An exact repeat
 * (a retry) is not one.
 */
function isSweep(variable: string, prompt: string): boolean {
  return variable.length > 0 && prompt.length >= 40 && variable.length <= Math.max(8, prompt.length * 0.05);
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
 * Rule 4b: systematically varied prompts. What each caller always sends (the prefix and suffix its
 * prompts share) is removed first; a prompt is then counted when only a few characters of it vary
 * (a sweep) or when what varies is a near-duplicate of a recent prompt's variable part. Model extraction and training-data reconstruction send
 * many prompts that differ in a few words (a template filled with names, prefixes shifted by a
 * token); ordinary users rarely do. Per caller and window, the share of prompts that are
 * near-duplicates of a recent prompt of the same caller is counted across files in the WindowStore.
 */
export function variedPromptsDetector(config: Config): Detector {
  const t = config.detect.thresholds.variedPrompts;
  const recent = new Map<string, Recent>();
  const templates = new Map<string, Template>();
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
      const actor = actorOf(r.caller);
      let template = templates.get(r.caller.id);
      if (template === undefined) {
        if (templates.size >= MAX_CALLERS) templates.delete(templates.keys().next().value as string);
        template = { prefix: '', suffix: '', seen: 0 };
        templates.set(r.caller.id, template);
      }
      let ring = recent.get(actor);
      if (ring === undefined) {
        if (recent.size >= MAX_CALLERS) recent.delete(recent.keys().next().value as string);
        ring = {
          sketches: new Uint32Array(4 * SKETCH_BINS),
          count: 0,
          next: 0,
        };
        recent.set(actor, ring);
      }
      // Judge what varies, not the template the caller always sends.
      const variable = takeVariablePart(template, r.prompt);
      let dup = isSweep(variable, r.prompt);
      if (!dup && variable.length > 0) {
        sketchInto(variable, scratch);
        dup = nearDuplicate(ring, scratch, t.similarity);
        remember(ring, scratch);
      }
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
        const window = `${actorOf(w.r.caller)}|${w.window}`;
        if (prompts < t.minPrompts || ratio < t.minRatio) {
          await history(state, w, false);
          latest.set(window, null);
          continue;
        }
        // Judged against the caller's own history: a pipeline that always sends near-duplicates
        // (RAG over a small corpus) is not probing; a caller that never did, or a new one, is.
        const before = await history(state, w, true);
        if (before.prompts >= t.minPrompts && before.nearDuplicates / before.prompts >= t.minRatio) {
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
          subject: actorOf(w.r.caller),
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
            history: before,
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

const BASELINE_DAYS = 30;

/**
 * The caller's (principal's) prompts and near-duplicates in other windows than this one, from the
 * window store: `varied-prompts-base|<caller>` sums every window, `…|<window>` this window's part.
 */
async function history(
  state: WindowStore,
  w: { r: { caller: { id: string } }; window: number; counts: { prompts: number; nearDuplicates: number } },
  read: boolean,
): Promise<{ prompts: number; nearDuplicates: number }> {
  const expires = new Date(w.window + BASELINE_DAYS * 86_400_000);
  const key = `varied-prompts-base|${w.r.caller.id}`;
  const mine = await state.add(`${key}|${w.window}`, w.counts, expires);
  const all = await state.add(key, w.counts, expires);
  if (!read) return { prompts: 0, nearDuplicates: 0 };
  return {
    prompts: (all.prompts ?? 0) - (mine.prompts ?? 0),
    nearDuplicates: (all.nearDuplicates ?? 0) - (mine.nearDuplicates ?? 0),
  };
}
