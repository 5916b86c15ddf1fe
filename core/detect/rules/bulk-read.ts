import type { PrincipalRef } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { matchesAny } from '../../principal-match.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { weightReadOf } from '../assets.ts';
import type { BaselineFinding } from '../baseline.ts';
import { learnAndJudge, networkDeltas } from '../baseline-windows.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { expectedNetworksFor, knownReaderPatterns } from '../known-readers.ts';
import type { ObjectAccess, StoreRef } from '../records.ts';
import { addCapped, storeResources } from '../resources.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';
import { addAll } from '../window-store.ts';
import { windowedEntries } from '../windowed-entries.ts';

interface Partial {
  principal: PrincipalRef;
  first: ObjectAccess;
  window: number;
  bytes: number;
  objects: number;
  lastAt: number;
  /** A read came from outside the networks the reader's profile (or the deployment) expects. */
  outside: boolean;
  stores: Map<string, { store: StoreRef; objectIds: Set<string> }>;
  /** Source addresses (at most 10): the networks the actor's baseline learns and judges. */
  addresses: Set<string>;
  /**
   * The window part's distinct objects, by hash (at most `distinctCap`): ranged GETs of one object
   * are one object. Once the cap is reached the window is bulk by objects and needs no more detail.
   */
  distinct: Set<string>;
}

/** Window-store counter naming one object read in the window (FNV-1a 32-bit of its id). */
export function objectCounter(objectId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < objectId.length; i++) h = Math.imul(h ^ objectId.charCodeAt(i), 0x01000193);
  return `k${(h >>> 0).toString(36)}`;
}

/** The store key of a window's distinct objects: one counter per object, apart from the totals. */
export const objectsKey = (actor: string, window: number) => `bulk-read-objects|${actor}|${window}`;

/**
 * Distinct objects of a window as judged: the counters of its objects key, at most `cap`. Each part
 * of a window (a spill, a later log file) writes its first `cap` objects, so the key may name more
 * than `cap` objects when the window has more; up to `cap` the count is exact, whatever the split.
 */
export function distinctObjects(objects: Readonly<Record<string, number>>, cap: number): number {
  return Math.min(Object.keys(objects).length, cap);
}

/**
 * How many objects a window part holds and writes: one more than the objects limit is enough to
 * know it crossed; kept under the 250 counters a store key holds.
 */
export function distinctCap(maxObjects: number): number {
  return Math.min(maxObjects + 1, 200);
}

/** The limits one principal is held to: known readers get `knownReaderFactor` times more room. */
export function bulkReadLimits(config: Config, principal: PrincipalRef) {
  const t = config.detect.thresholds.bulkRead;
  const known = matchesAny(knownReaderPatterns(config), principal);
  const factor = known ? t.knownReaderFactor : 1;
  return { known, exempt: factor === 0, maxBytes: t.maxBytes * factor, maxObjects: t.maxObjects * factor };
}

/** Which limit the window's totals crossed, or undefined. */
export function bulkReadCrossed(
  totals: { bytes: number; objects: number },
  limits: { maxBytes: number; maxObjects: number },
) {
  if (totals.bytes > limits.maxBytes) return 'bytes';
  if (totals.objects > limits.maxObjects) return 'objects';
  return undefined;
}

/**
 * Who the counts belong to: the STS session for assumed roles (each instance of a fleet has its own,
 * an attacker with stolen role credentials has theirs), otherwise the principal.
 */
export function actorOf(principal: PrincipalRef): string {
  for (const a of principal.aliases) if (a.type === 'session-arn') return a.value;
  return principal.id;
}

/** Rule 1a: weight bytes and objects read per actor and window, across files and writers. */
export function bulkReadDetector(config: Config): Detector {
  const t = config.detect.thresholds.bulkRead;
  const isWeightRead = weightReadOf(config);
  const partials = windowedEntries<Partial>(config.detect.maxStateEntries);
  const networksOf = expectedNetworksFor(config);
  const cap = distinctCap(t.maxObjects);
  // Trusted alerts a spilled flush raised that the actor's own baseline later found normal.
  let withdrawn: string[] = [];
  return {
    id: 'bulk-read',
    kinds: ['object-access'],
    observe(r) {
      if (!isWeightRead(r)) return;
      const window = windowStart(r.at, t.windowMinutes);
      const actor = actorOf(r.principal);
      const p =
        partials.get(actor, window) ??
        partials.add(actor, {
          principal: r.principal,
          first: r,
          window,
          bytes: 0,
          objects: 0,
          lastAt: r.at,
          outside: false,
          stores: new Map(),
          addresses: new Set(),
          distinct: new Set(),
        });
      if (!p.outside) {
        const { matcher } = networksOf(r.principal);
        // A read an AWS service makes with the role (AWS Backup, DataSync: sourceIPAddress is the
        // service's name) names no network, so nothing places it outside the expected ones.
        p.outside = !matcher.empty && !!(r.network.ip || r.network.vpce) && !matcher.matches(r.network);
      }
      p.bytes += r.bytes;
      p.objects += 1;
      if (r.at > p.lastAt) p.lastAt = r.at;
      if (r.network.ip) addCapped(p.addresses, r.network.ip, 10);
      if (p.distinct.size < cap) p.distinct.add(objectCounter(r.objectId));
      let s = p.stores.get(r.store.id);
      if (s === undefined) {
        s = { store: r.store, objectIds: new Set<string>() };
        p.stores.set(r.store.id, s);
      }
      addCapped(s.objectIds, r.objectId);
    },
    hasSpilled: partials.hasSpilled,
    withdrawn() {
      const keys = withdrawn;
      withdrawn = [];
      return keys;
    },
    async flush(state, only) {
      const alerts = [];
      const batch = only === 'spilled' ? partials.spilled() : partials.take();
      const adds = batch.map((p) => ({
        key: `bulk-read|${actorOf(p.principal)}|${p.window}`,
        deltas: { bytes: p.bytes, objects: p.objects, ...networkDeltas(p.addresses) },
        expiresAt: windowExpiry(p.window, t.windowMinutes),
      }));
      // Counted apart from the totals: the objects never crowd the networks out of the totals' key.
      const objectAdds = batch.map((p) => ({
        key: objectsKey(actorOf(p.principal), p.window),
        deltas: Object.fromEntries([...p.distinct].map((k) => [k, 1])),
        expiresAt: windowExpiry(p.window, t.windowMinutes),
      }));
      const both = await addAll(state, [...adds, ...objectAdds]);
      const all = both.slice(0, adds.length);
      const objectsOf = both.slice(adds.length);
      // The actor's own learned baseline (issue 7): every window learned, then judged against the others.
      const verdicts = await learnAndJudge(
        state,
        t.windowMinutes,
        batch.map((p, i) => ({
          actor: actorOf(p.principal),
          window: p.window,
          delta: adds[i]?.deltas ?? {},
          totals: all[i] ?? {},
        })),
      );
      for (const [i, p] of batch.entries()) {
        const totals = all[i] ?? {};
        const verdict = verdicts[i];
        const limits = bulkReadLimits(config, p.principal);
        // Objects judged are the distinct ones (a 320 MB adapter read in 40 ranges is one object);
        // `objects` stays the request count the actor's baseline learns.
        const distinct = distinctObjects(objectsOf[i] ?? {}, cap);
        const sums = { bytes: totals.bytes ?? 0, objects: distinct };
        const crossed = bulkReadCrossed(sums, { maxBytes: t.maxBytes, maxObjects: t.maxObjects });
        for (const f of verdict?.findings ?? []) alerts.push(baselineAlert(f, p, t.windowMinutes));
        if (!crossed || (limits.exempt && !p.outside)) continue;
        // A known reader within its networks is trusted (a low signal only): volume alone does not
        // tell a scale-out or a fine-tuning job from theft; the network and the first read do.
        const trusted = limits.known && !p.outside;
        const alert = detectorAlert({
          rule: 'bulk-read',
          type: DETECTOR_ALERT_TYPES.bulkRead,
          severity: t.severity,
          ...windowOrigin(p),
          title: `${p.principal.id} read ${distinct >= cap ? `more than ${cap - 1}` : distinct} weight objects (${totals.objects} reads, ${totals.bytes} bytes) in ${t.windowMinutes} min`,
          evidence: {
            crossed,
            actor: actorOf(p.principal),
            bytes: totals.bytes,
            objects: totals.objects,
            distinctObjects: distinct,
            distinctCapped: distinct >= cap,
            maxBytes: limits.maxBytes,
            maxObjects: limits.maxObjects,
            knownReader: limits.known,
            trusted,
            outsideExpectedNetworks: p.outside,
            window: describeWindow(p.window, t.windowMinutes),
          },
        });
        // A trusted reader whose volume is normal for itself (judged, not above its own baseline):
        // nothing, and whatever an earlier spilled flush of this window raised is withdrawn.
        if (trusted && verdict?.judged && !verdict.findings.some((f) => f.rule === 'above-own-baseline')) {
          withdrawn.push(alert.dedupeKey);
          continue;
        }
        alerts.push(alert);
      }
      return alerts;
    },
  };
}

const BASELINE_ALERTS = {
  'above-own-baseline': {
    type: DETECTOR_ALERT_TYPES.aboveOwnBaseline,
    severity: 7,
    what: 'read far more weights than its own usual windows',
  },
  'new-network': {
    type: DETECTOR_ALERT_TYPES.newNetwork,
    severity: 5,
    what: 'read weights from a network it never used',
  },
  'unusual-hours': {
    type: DETECTOR_ALERT_TYPES.unusualHours,
    severity: 3,
    what: 'read weights outside its learned hours',
  },
} as const;

/** A finding of the actor's own baseline as a rule alert (its words: signals.ts). */
function baselineAlert(f: BaselineFinding, p: Partial, windowMinutes: number) {
  const kind = BASELINE_ALERTS[f.rule];
  const { rule, ...figures } = f;
  return detectorAlert({
    rule,
    type: kind.type,
    severity: kind.severity,
    ...windowOrigin(p),
    title: `${p.principal.id} ${kind.what}`,
    evidence: { ...figures, actor: actorOf(p.principal), window: describeWindow(p.window, windowMinutes) },
  });
}

/** What every alert of one actor's window says of where it comes from (bulk-read and its baselines). */
function windowOrigin(p: Partial) {
  return {
    cloud: p.first.cloud,
    account: p.first.account,
    ...(p.first.region ? { region: p.first.region } : {}),
    principal: p.principal,
    resources: [...p.stores.values()].flatMap((s) => storeResources(s.store, s.objectIds)),
    observedAt: p.lastAt,
    subject: actorOf(p.principal),
    window: p.window,
  };
}
