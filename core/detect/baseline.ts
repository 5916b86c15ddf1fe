import { parseIpv4, parseIpv6 } from './networks.ts';
import { baselineOf, binOf, type Histogram, robustZ } from './robust-baseline.ts';
import { MAX_COUNTERS_PER_KEY } from './window-store.ts';

/**
 * What one actor usually does, learned from its own windows (issue 7): the bytes and objects it
 * reads per window (robust-baseline histograms), the networks it reads from (/24 IPv4, /48 IPv6,
 * at most MAX_NETWORKS) and the hours of the week it works. Stored as counters of four WindowStore
 * keys per actor (baseline-store.ts), so it merges across files and writers like every other window,
 * and expires with a TTL unless the actor keeps working. Pure.
 */
export interface ActorBaseline {
  /** Windows learned so far. */
  windows: number;
  bytes: Histogram;
  objects: Histogram;
  /** Network prefix (`10.1.2.0/24`, `2001:db8:1::/48`) → windows seen from it. */
  networks: Map<string, number>;
  /** Hour of the week (0 = Monday 00:00 UTC … 167) → windows that started in it. */
  hours: Map<number, number>;
}

/** One finished window of an actor: what it read, from where, when it started. */
export interface ActorWindow {
  bytes: number;
  objects: number;
  addresses: readonly string[];
  /** The window's networks when known already (the store's window counters); else from `addresses`. */
  networks?: readonly string[];
  start: Date;
}

export interface BaselineOptions {
  /** Windows an actor needs before its own baseline judges it (before: known-reader profile or absolute limits). */
  minWindows: number;
  /** Robust z-score of bytes or objects above which a window is far above the actor's own. */
  zAbove: number;
  /** And at least this many times the actor's median (a flat baseline is not tripped by a little more). */
  ratioAbove: number;
  /** Days a baseline lives in the store after its last window. */
  ttlDays: number;
}

export const BASELINE_DEFAULTS: BaselineOptions = { minWindows: 10, zAbove: 4, ratioAbove: 4, ttlDays: 45 };
/** Networks remembered per actor; past this a new network is not claimed (the set is full, not history). */
export const MAX_NETWORKS = 32;

export const emptyBaseline = (): ActorBaseline => ({
  windows: 0,
  bytes: new Map(),
  objects: new Map(),
  networks: new Map(),
  hours: new Map(),
});

/** The /24 (IPv4) or /48 (IPv6) prefix of an address; undefined for anything that is not one. */
export function networkOf(address: string): string | undefined {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) {
    const p = Math.floor(v4 / 256);
    return `${p >>> 16}.${(p >>> 8) & 255}.${p & 255}.0/24`;
  }
  const v6 = parseIpv6(address.toLowerCase());
  if (v6 === undefined) return undefined;
  const groups = [0, 1, 2].map((i) => ((v6 >> BigInt(16 * (7 - i))) & 0xffffn).toString(16));
  return `${groups.join(':')}::/48`;
}

/** Hour of the week in UTC, Monday 00:00 = 0. */
export const hourOfWeek = (d: Date) => ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();

// Counter names (core/detect/window-store.ts COUNTER_NAME): w, b<bin>, o<bin>, h<hour>, n4_a_b_c, n6_x_y_z.
export const networkCounter = (net: string) =>
  net.endsWith('/24')
    ? `n4_${net.slice(0, -5).replaceAll('.', '_')}`
    : `n6_${net.slice(0, -5).replaceAll(':', '_')}`;
export function networkFromCounter(name: string): string | undefined {
  if (name.startsWith('n4_')) return `${name.slice(3).replaceAll('_', '.')}.0/24`;
  if (name.startsWith('n6_')) return `${name.slice(3).replaceAll('_', ':')}::/48`;
  return undefined;
}

/**
 * The histogram bins a baseline keeps, so each histogram fits one store key (MAX_COUNTERS_PER_KEY):
 * bytes from 4 KiB a window (less counts as 4 KiB) to 2^43.25 ≈ 10.5 TB (more counts as that),
 * objects from 0 to 2^31. A window beyond the top is still judged by its own figures.
 */
export const BYTES_BINS = { min: binOf(4096), max: binOf(4096) + MAX_COUNTERS_PER_KEY - 1 } as const;
export const OBJECTS_BINS = { min: 0, max: MAX_COUNTERS_PER_KEY - 1 } as const;
const clamp = (bin: number, range: { min: number; max: number }) =>
  Math.min(Math.max(bin, range.min), range.max);
/** The baseline bin of a window's bytes. */
export const bytesBin = (bytes: number) => clamp(binOf(bytes), BYTES_BINS);
/** The baseline bin of a window's objects. */
export const objectsBin = (objects: number) => clamp(binOf(objects), OBJECTS_BINS);

export function baselineFromCounters(counters: Readonly<Record<string, number>>): ActorBaseline {
  const b = emptyBaseline();
  for (const [name, n] of Object.entries(counters)) {
    if (n <= 0) continue;
    if (name === 'w') b.windows = n;
    else if (/^b\d+$/.test(name)) b.bytes.set(Number(name.slice(1)), n);
    else if (/^o\d+$/.test(name)) b.objects.set(Number(name.slice(1)), n);
    else if (/^h\d+$/.test(name)) b.hours.set(Number(name.slice(1)), n);
    else {
      const net = networkFromCounter(name);
      if (net) b.networks.set(net, n);
    }
  }
  return b;
}

/**
 * The counter deltas that learn `window` into `b` (and apply it to `b`). A network is learned only
 * while the actor has fewer than MAX_NETWORKS, so the stored set stays bounded.
 */
export function learn(b: ActorBaseline, window: ActorWindow): Record<string, number> {
  const deltas: Record<string, number> = { w: 1 };
  const bBin = bytesBin(window.bytes);
  const oBin = objectsBin(window.objects);
  const hour = hourOfWeek(window.start);
  deltas[`b${bBin}`] = 1;
  deltas[`o${oBin}`] = 1;
  deltas[`h${hour}`] = 1;
  b.windows++;
  b.bytes.set(bBin, (b.bytes.get(bBin) ?? 0) + 1);
  b.objects.set(oBin, (b.objects.get(oBin) ?? 0) + 1);
  b.hours.set(hour, (b.hours.get(hour) ?? 0) + 1);
  for (const net of new Set(window.addresses.map(networkOf).filter((n) => n !== undefined))) {
    if (!b.networks.has(net) && b.networks.size >= MAX_NETWORKS) continue;
    b.networks.set(net, (b.networks.get(net) ?? 0) + 1);
    deltas[networkCounter(net)] = 1;
  }
  return deltas;
}

/** A finding of the baseline about one window, as a rule names it (signals.ts gives the words). */
export type BaselineFinding =
  | {
      rule: 'above-own-baseline';
      bytes: number;
      objects: number;
      medianBytes: number;
      medianObjects: number;
      z: number;
      windows: number;
    }
  | { rule: 'new-network'; networks: string[]; known: string[]; windows: number }
  | { rule: 'unusual-hours'; hourOfWeek: number; windows: number; usualHours: number };

/**
 * Judges a window against the actor's own baseline, before learning it. Nothing until the actor has
 * `minWindows`: then the known-reader profile or absolute limits decide alone. A heavy reader whose
 * volume is normal for itself gets nothing here.
 */
export function judge(
  b: ActorBaseline,
  window: ActorWindow,
  options: BaselineOptions = BASELINE_DEFAULTS,
): BaselineFinding[] {
  if (b.windows < options.minWindows) return [];
  const out: BaselineFinding[] = [];
  const bytesBase = baselineOf(b.bytes);
  const objectsBase = baselineOf(b.objects);
  if (bytesBase && objectsBase) {
    const medianBytes = 2 ** bytesBase.medianLog2;
    const medianObjects = 2 ** objectsBase.medianLog2;
    const zBytes = window.bytes >= options.ratioAbove * medianBytes ? robustZ(window.bytes, bytesBase) : 0;
    const zObjects =
      window.objects >= options.ratioAbove * Math.max(medianObjects, 1)
        ? robustZ(window.objects, objectsBase)
        : 0;
    const z = Math.max(zBytes, zObjects);
    if (z >= options.zAbove)
      out.push({
        rule: 'above-own-baseline',
        bytes: window.bytes,
        objects: window.objects,
        medianBytes: Math.round(medianBytes),
        medianObjects: Math.round(medianObjects),
        z: Math.round(z * 10) / 10,
        windows: b.windows,
      });
  }
  if (b.networks.size > 0 && b.networks.size < MAX_NETWORKS) {
    const nets = [
      ...new Set(window.networks ?? window.addresses.map(networkOf).filter((n) => n !== undefined)),
    ];
    const fresh = nets.filter((n) => !b.networks.has(n));
    if (fresh.length)
      out.push({
        rule: 'new-network',
        networks: fresh,
        known: [...b.networks.keys()].sort(),
        windows: b.windows,
      });
  }
  // Usual hours: the hour itself or either neighbour was seen (a job that runs a little late is not unusual).
  const h = hourOfWeek(window.start);
  const near = [h - 1, h, h + 1].map((x) => (x + 168) % 168);
  if (!near.some((x) => (b.hours.get(x) ?? 0) > 0))
    out.push({ rule: 'unusual-hours', hourOfWeek: h, windows: b.windows, usualHours: b.hours.size });
  return out;
}
