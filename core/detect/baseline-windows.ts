import {
  BASELINE_DEFAULTS,
  type BaselineFinding,
  type BaselineOptions,
  baselineFromCounters,
  bytesBin,
  hourOfWeek,
  judge,
  MAX_NETWORKS,
  networkCounter,
  networkFromCounter,
  networkOf,
  objectsBin,
} from './baseline.ts';
import { baselineKey, changeBaselines } from './baseline-store.ts';
import { readAll, type WindowStore } from './window-store.ts';

/** What a rule flushes of one actor's window: this flush's part, and the window's totals after it. */
export interface FlushedWindow {
  actor: string;
  /** Window start, epoch ms. */
  window: number;
  /** This flush's part (the deltas the rule added to its window key, networks included). */
  delta: Readonly<Record<string, number>>;
  /** The window key's counters after that add: `bytes`, `objects` and one counter per network. */
  totals: Readonly<Record<string, number>>;
}

export interface BaselineVerdict {
  /** The actor had `minWindows` other windows: its own baseline judged this one. */
  judged: boolean;
  findings: BaselineFinding[];
}

/** The window-key counters naming the networks of `addresses` (added with the window's bytes). */
export function networkDeltas(addresses: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of addresses) {
    const net = networkOf(a);
    if (net) out[networkCounter(net)] = 1;
  }
  return out;
}

/**
 * Learns each flushed window into its actor's baseline (core/detect/baseline.ts) and judges it
 * against the actor's other windows, in two batched rounds of the store: read the first of its
 * four keys (windows and networks) where a window brings a network, then add to the parts the
 * flush changes and read the others (changeBaselines); those totals judge.
 *
 * Learning is a chain of moves, like the egress histograms (robust-baseline binMove): the add that
 * opens a window (its objects were 0 before) counts it (`w`, its hour, the bins of its totals);
 * every later add moves its sample from the bin of the totals before to the bin of the totals
 * after; a network counts when the window's own counter for it was 0 before. However the window is
 * split across spills, files and writers, it is thus learned exactly once, with its final totals,
 * and the store ends the same (test/detect/bounded-state.test.ts). A window is judged against the
 * baseline after the add minus its own sample, so it is never its own history.
 */
export async function learnAndJudge(
  state: WindowStore,
  windowMinutes: number,
  windows: readonly FlushedWindow[],
  options: BaselineOptions = BASELINE_DEFAULTS,
): Promise<BaselineVerdict[]> {
  if (windows.length === 0) return [];
  // Parts of one window in one flush (a window spilled twice) share the totals: learn them once.
  const groups = new Map<string, { w: FlushedWindow; delta: Record<string, number>; items: number[] }>();
  for (const [i, w] of windows.entries()) {
    const key = `${w.actor}|${w.window}`;
    const g = groups.get(key) ?? { w, delta: {}, items: [] };
    for (const [name, n] of Object.entries(w.delta)) g.delta[name] = (g.delta[name] ?? 0) + n;
    g.items.push(i);
    groups.set(key, g);
  }
  const latest = Math.max(...windows.map((w) => w.window)) + windowMinutes * 60_000;
  const expiresAt = new Date(latest + options.ttlDays * 86_400_000);
  const actors = [...new Set(windows.map((w) => w.actor))];
  // Learning a network needs the networks already known (the set is capped): load the first key
  // alone, and only of actors with a window whose own counter for a network was 0 before.
  const firstNetwork = ({ w, delta }: { w: FlushedWindow; delta: Record<string, number> }) =>
    Object.entries(delta).some(([name, n]) => networkFromCounter(name) && (w.totals[name] ?? 0) === n);
  const learning = [...new Set([...groups.values()].filter(firstNetwork).map((g) => g.w.actor))];
  const loaded = await readAll(
    state,
    learning.map((a) => baselineKey(a)),
    expiresAt,
  );
  const working = new Map(learning.map((a, i) => [a, baselineFromCounters(loaded[i] ?? {})]));
  const deltas = new Map<string, Record<string, number>>(actors.map((a) => [a, {}]));
  for (const { w, delta } of groups.values()) {
    const d = deltas.get(w.actor) as Record<string, number>;
    const add = (name: string, n: number) => {
      d[name] = (d[name] ?? 0) + n;
    };
    const after = { bytes: w.totals.bytes ?? 0, objects: w.totals.objects ?? 0 };
    const before = { bytes: after.bytes - (delta.bytes ?? 0), objects: after.objects - (delta.objects ?? 0) };
    if (before.objects <= 0) {
      add('w', 1);
      add(`h${hourOfWeek(new Date(w.window))}`, 1);
      add(`b${bytesBin(after.bytes)}`, 1);
      add(`o${objectsBin(after.objects)}`, 1);
    } else {
      for (const [prefix, from, to] of [
        ['b', bytesBin(before.bytes), bytesBin(after.bytes)],
        ['o', objectsBin(before.objects), objectsBin(after.objects)],
      ] as const) {
        if (from === to) continue;
        add(`${prefix}${from}`, -1);
        add(`${prefix}${to}`, 1);
      }
    }
    const nets = working.get(w.actor)?.networks ?? new Map<string, number>();
    for (const [name, n] of Object.entries(delta)) {
      const net = networkFromCounter(name);
      if (!net || (w.totals[name] ?? 0) !== n) continue;
      // A bounded set: once full, a network not in it is neither learned nor judged new.
      if (!nets.has(net) && nets.size >= MAX_NETWORKS) continue;
      nets.set(net, (nets.get(net) ?? 0) + 1);
      add(name, 1);
    }
  }
  const after = await changeBaselines(state, deltas, expiresAt);
  const verdicts: BaselineVerdict[] = windows.map(() => ({ judged: false, findings: [] }));
  for (const { w, items } of groups.values()) {
    const counters = { ...after.get(w.actor) };
    const bytes = w.totals.bytes ?? 0;
    const objects = w.totals.objects ?? 0;
    const own = ['w', `h${hourOfWeek(new Date(w.window))}`, `b${bytesBin(bytes)}`, `o${objectsBin(objects)}`];
    const networks: string[] = [];
    for (const name of Object.keys(w.totals)) {
      const net = networkFromCounter(name);
      if (!net) continue;
      networks.push(net);
      if ((counters[name] ?? 0) > 0) own.push(name);
    }
    for (const name of own) counters[name] = (counters[name] ?? 0) - 1;
    const b = baselineFromCounters(counters);
    const judged = b.windows >= options.minWindows;
    const findings = judge(
      b,
      { bytes, objects, addresses: [], networks, start: new Date(w.window) },
      options,
    );
    // Every part gets the window's verdict; its alerts share one dedupe key.
    for (const i of items) verdicts[i] = { judged, findings };
  }
  return verdicts;
}
