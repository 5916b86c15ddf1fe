import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { binSamples } from '../bin-samples.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { egressOf } from '../endpoints.ts';
import { type FileAdds, fileAddsOf } from '../file-adds.ts';
import type { FlowOrigin } from '../flow-origin.ts';
import { capBinCounters, peerBin } from '../peer-bins.ts';
import { ipPrincipal } from '../principals.ts';
import type { FlowRecord } from '../records.ts';
import {
  addToHistogram,
  type Baseline,
  baselineOf,
  binMove,
  binOf,
  type Histogram,
  histogramCounters,
  histogramFrom,
  robustZ,
  without,
} from '../robust-baseline.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';
import { addAll, type WindowStore } from '../window-store.ts';
import { mergeEntries, windowedEntries } from '../windowed-entries.ts';

const TOP_FLOWS = 8;
/** The baselines are not windowed: they keep learning; a year bounds a forgotten endpoint or peer. */
const BASELINE_TTL = () => new Date(Date.now() + 365 * 24 * 3600_000);

interface EndpointFlows {
  /** This file's external flows, added to the endpoint's flow baseline at the end of the file. */
  flows: Histogram;
  /** Every flow, internal ones too: the baseline while the external one is still learning. */
  all: Histogram;
  top: { bytes: number; peer: string; f: FlowRecord }[];
  /** The smallest of `top` once it is full: most flows are below it and cost one comparison. */
  topMin: number;
}

/** Bytes one endpoint sent one peer in one window (so far in this file). */
interface PeerWindow extends FlowOrigin {
  window: number;
  /** The endpoint. */
  detail: string;
  peer: string;
  internal: boolean;
  bytes: number;
}

/**
 * Rule 3a: bytes an inference endpoint sends per flow and per peer, against robust baselines
 * (median/MAD of log2 bytes, robust-baseline.ts) kept in the WindowStore. External peers are judged
 * against the endpoint's baselines of external flows and external peers' window totals; a peer
 * inside `detect.expectedNetworks` or a private range is judged against its own history of window
 * totals only (a batch consumer pulling GBs every night is normal for itself), and never feeds the
 * endpoint's baselines. A flow or window total alerts when it is both far above its baseline
 * (z ≥ flowZ/peerZ) and large in absolute terms. Each is judged against the history as it was
 * before this file (an internal peer's without the window judged), so a spill changes no verdict.
 */
export function egressVolumeDetector(config: Config): Detector {
  const t = config.detect.thresholds.egress;
  const endpoints = egressOf(config);
  let seen = new Map<string, EndpointFlows>();
  const peers = windowedEntries<PeerWindow>(config.detect.maxStateEntries);
  // What this file added to each endpoint's peer baseline: the verdicts leave it out.
  let fileAdds = fileAddsOf(config);
  // Flows of one endpoint come in runs: its state is kept at hand.
  let last: EndpointFlows | undefined;
  let lastEndpoint = '';
  return {
    id: 'egress-volume',
    kinds: ['flow'],
    observe(r) {
      if (endpoints.empty || r.kind !== 'flow') return;
      const e = endpoints.egress(r);
      if (!e || e.bytes <= 0) return;
      let s = e.endpoint === lastEndpoint ? last : seen.get(e.endpoint);
      if (s === undefined) {
        s = { flows: new Map(), all: new Map(), top: [], topMin: 0 };
        seen.set(e.endpoint, s);
      }
      last = s;
      lastEndpoint = e.endpoint;
      addToHistogram(s.all, e.bytes);
      if (!e.internal) {
        addToHistogram(s.flows, e.bytes);
        if (s.top.length < TOP_FLOWS || e.bytes > s.topMin)
          keepTop(s, { bytes: e.bytes, peer: e.peer, f: r });
      }
      const window = windowStart(r.at, t.windowMinutes);
      const p =
        peers.get(e.peer, window, e.endpoint) ??
        peers.add(e.peer, {
          window,
          detail: e.endpoint,
          peer: e.peer,
          internal: e.internal,
          bytes: 0,
          // The alert's fields of the window's first flow, not the record: it is collected.
          cloud: r.cloud,
          account: r.account,
          at: r.at,
        });
      p.bytes += e.bytes;
    },
    hasSpilled: peers.hasSpilled,
    async flush(state, only) {
      if (only === 'spilled') return judgePeers(config, peers.spilled(), state, fileAdds);
      const alerts = await judgePeers(config, peers.take(), state, fileAdds);
      const batch = seen;
      seen = new Map();
      fileAdds = fileAddsOf(config);
      last = undefined;
      lastEndpoint = '';
      for (const [endpoint, s] of batch) {
        const [external, all] = await addAll(state, [
          {
            key: `egress-external-flows|${endpoint}`,
            deltas: histogramCounters(s.flows),
            expiresAt: BASELINE_TTL(),
          },
          { key: `egress-flows|${endpoint}`, deltas: histogramCounters(s.all), expiresAt: BASELINE_TTL() },
        ]);
        // External flows are judged against external ones; while those are too few, against all
        // (a heavy internal workload may then mask a flow: new-external-peer still sees the peer).
        const externalBase = baselineOf(without(histogramFrom(external ?? {}), s.flows));
        const flowBase =
          externalBase && externalBase.samples >= t.minSamples
            ? externalBase
            : baselineOf(without(histogramFrom(all ?? {}), s.all));
        if (!flowBase || flowBase.samples < t.minSamples) continue;
        for (const top of s.top) {
          const z = robustZ(top.bytes, flowBase);
          if (z >= t.flowZ && top.bytes >= t.minFlowBytes)
            alerts.push(
              alert(config, endpoint, top.peer, top.f, 'flow', top.f.at, {
                flowBytes: top.bytes,
                ...figures(z, t.flowZ, t.minFlowBytes, flowBase),
                against: flowBase === externalBase ? 'external-flows' : 'all-flows',
              }),
            );
        }
      }
      return alerts;
    },
  };
}

/**
 * Adds the peers' window totals to the store and judges them. Tracked windows (≥ peerTrackMinBytes
 * in this file) move their one sample in the baseline as their total grows (binMove); smaller ones
 * add their file total as a sample and are never judged (they are far below minPeerBytes).
 */
async function judgePeers(
  config: Config,
  spilledOrAll: readonly PeerWindow[],
  state: WindowStore,
  fileAdds: FileAdds,
): Promise<Alert[]> {
  const t = config.detect.thresholds.egress;
  const batch = mergeEntries(spilledOrAll, (p) => p.peer, addBytes);
  const tracked = batch.filter((p) => p.bytes >= t.peerTrackMinBytes);
  const totals = await addAll(
    state,
    tracked.map((p) => ({
      key: `egress-peer|${p.detail}|${p.peer}|${p.window}`,
      deltas: { bytes: p.bytes },
      expiresAt: windowExpiry(p.window, t.windowMinutes),
    })),
  );
  const judged = tracked.map((p, i) => ({ p, after: totals[i]?.bytes ?? p.bytes }));
  const moves = [
    ...judged.map(({ p, after }) => ({
      key: p.internal ? ownKey(p) : `egress-peers|${p.detail}`,
      deltas: capBinCounters(binMove(after - p.bytes, after)),
      expiresAt: BASELINE_TTL(),
    })),
    // The untracked windows' samples, one move per endpoint (binSamples).
    ...[
      ...binSamples(
        batch.filter((p) => p.bytes < t.peerTrackMinBytes && !p.internal),
        (p) => p.detail,
        (p) => p.bytes,
      ),
    ].map(([endpoint, h]) => ({
      key: `egress-peers|${endpoint}`,
      deltas: capBinCounters(histogramCounters(h)),
      expiresAt: BASELINE_TTL(),
    })),
  ];
  for (const m of moves) fileAdds.add(m.key, m.deltas);
  for (const { p } of judged) if (p.internal) fileAdds.addBytes(ownKey(p), p.window, p.bytes);
  const histograms = await addAll(state, moves);
  const alerts: Alert[] = [];
  judged.forEach(({ p, after }, i) => {
    const stored = histogramFrom(histograms[i] ?? {});
    if (after < t.minPeerBytes) return;
    // The history before this file (whatever was spilled when); an internal peer's without this window.
    const key = moves[i]?.key ?? '';
    const before = without(stored, fileAdds.bins(key));
    const earlier = p.internal ? after - fileAdds.bytes(key, p.window) : 0;
    const base = baselineOf(earlier > 0 ? without(before, new Map([[peerBin(binOf(earlier)), 1]])) : before);
    if (!base || base.samples < (p.internal ? t.minOwnWindows : t.minSamples)) return;
    const z = robustZ(after, base);
    if (z < t.peerZ) return;
    alerts.push(
      alert(config, p.detail, p.peer, p, p.internal ? 'internal-peer' : 'peer', p.window, {
        peerBytes: after,
        window: describeWindow(p.window, t.windowMinutes),
        ...figures(z, t.peerZ, t.minPeerBytes, base),
        ...(p.internal ? { against: 'own-history' } : { against: 'endpoint' }),
      }),
    );
  });
  return alerts;
}

const ownKey = (p: PeerWindow) => `egress-own|${p.detail}|${p.peer}`;

const addBytes = (into: PeerWindow, from: PeerWindow) => {
  into.bytes += from.bytes;
};

function figures(z: number, zThreshold: number, minBytes: number, base: Baseline) {
  return {
    z: Math.round(z * 10) / 10,
    zThreshold,
    minBytes,
    baselineMedianBytes: Math.round(2 ** base.medianLog2),
    baselineMadLog2: Math.round(base.madLog2 * 100) / 100,
    baselineSamples: base.samples,
  };
}

const TITLES = {
  flow: 'sent an anomalous flow to',
  peer: 'sent an anomalous volume to',
  'internal-peer': 'sent far more than its own history to internal peer',
};

function alert(
  config: Config,
  endpoint: string,
  peer: string,
  f: FlowOrigin & Partial<Pick<FlowRecord, 'srcPort' | 'dstPort'>>,
  scope: keyof typeof TITLES,
  window: number,
  evidence: Record<string, unknown>,
) {
  return detectorAlert({
    rule: `egress-${scope}`,
    type: DETECTOR_ALERT_TYPES.egressVolume,
    severity: config.detect.thresholds.egress.severity,
    cloud: f.cloud,
    account: f.account,
    principal: ipPrincipal(peer, f.account),
    resources: [],
    observedAt: f.at,
    subject: `${endpoint}>${peer}`,
    window: scope === 'flow' ? `${f.at}-${f.srcPort}-${f.dstPort}` : window,
    title: `inference endpoint ${endpoint} ${TITLES[scope]} ${peer}`,
    evidence: { endpoint, peer, scope, ...evidence },
  });
}

function keepTop(s: EndpointFlows, item: EndpointFlows['top'][number]): void {
  if (s.top.length < TOP_FLOWS) s.top.push(item);
  else {
    let min = 0;
    for (let i = 1; i < s.top.length; i++) if ((s.top[i]?.bytes ?? 0) < (s.top[min]?.bytes ?? 0)) min = i;
    s.top[min] = item;
  }
  if (s.top.length === TOP_FLOWS) s.topMin = Math.min(...s.top.map((x) => x.bytes));
}
