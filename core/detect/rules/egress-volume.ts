import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { egressOf } from '../endpoints.ts';
import { ipPrincipal } from '../principals.ts';
import type { FlowRecord } from '../records.ts';
import {
  addToHistogram,
  type Baseline,
  baselineOf,
  type Histogram,
  histogramCounters,
  histogramFrom,
  robustZ,
} from '../robust-baseline.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';

const TOP_FLOWS = 8;
const MAX_PEERS = 20_000;
/** The flow baselines are not windowed: they keep learning; a year bounds a forgotten endpoint. */
const BASELINE_TTL = () => new Date(Date.now() + 365 * 24 * 3600_000);

interface EndpointState {
  flows: Histogram;
  top: { bytes: number; peer: string; f: FlowRecord }[];
  /** The smallest of `top` once it is full: most flows are below it and cost one comparison. */
  topMin: number;
  /** Bytes per peer, per window start. */
  peers: Map<number, Map<string, { bytes: number; f: FlowRecord }>>;
  /** The window of the last flow and its peers. */
  window: number;
  windowPeers: Map<string, { bytes: number; f: FlowRecord }> | undefined;
}

/**
 * Rule 3a: bytes an inference endpoint sends per flow and per peer, against a robust baseline
 * (median/MAD of log2 bytes, robust-baseline.ts) kept in the WindowStore. A flow or a peer's window
 * total alerts when it is both far above the baseline (z ≥ flowZ/peerZ) and large in absolute terms.
 */
export function egressVolumeDetector(config: Config): Detector {
  const t = config.detect.thresholds.egress;
  const endpoints = egressOf(config);
  let seen = new Map<string, EndpointState>();
  // Flows of one endpoint and window come in runs: their state is kept at hand.
  let last: EndpointState | undefined;
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
        s = {
          flows: new Map(),
          top: [],
          topMin: 0,
          peers: new Map(),
          window: Number.NaN,
          windowPeers: undefined,
        };
        seen.set(e.endpoint, s);
      }
      last = s;
      lastEndpoint = e.endpoint;
      addToHistogram(s.flows, e.bytes);
      if (s.top.length < TOP_FLOWS || e.bytes > s.topMin) keepTop(s, { bytes: e.bytes, peer: e.peer, f: r });
      const window = windowStart(r.at, t.windowMinutes);
      // Per window, then per peer: no key string is built for every flow.
      let peers = window === s.window ? s.windowPeers : s.peers.get(window);
      if (peers === undefined) {
        peers = new Map<string, { bytes: number; f: FlowRecord }>();
        s.peers.set(window, peers);
      }
      s.window = window;
      s.windowPeers = peers;
      const p = peers.get(e.peer);
      if (p) p.bytes += e.bytes;
      else if (peers.size < MAX_PEERS) peers.set(e.peer, { bytes: e.bytes, f: r });
    },
    async flush(state) {
      const batch = seen;
      seen = new Map();
      last = undefined;
      lastEndpoint = '';
      const alerts: Alert[] = [];
      for (const [endpoint, s] of batch) {
        const flowBase = baselineOf(
          histogramFrom(
            await state.add(`egress-flows|${endpoint}`, histogramCounters(s.flows), BASELINE_TTL()),
          ),
        );
        if (flowBase && flowBase.samples >= t.minSamples) {
          for (const top of s.top) {
            const z = robustZ(top.bytes, flowBase);
            if (z >= t.flowZ && top.bytes >= t.minFlowBytes)
              alerts.push(
                alert(config, endpoint, top.peer, top.f, 'flow', top.f.at, {
                  flowBytes: top.bytes,
                  ...figures(z, t.flowZ, t.minFlowBytes, flowBase),
                }),
              );
          }
        }
        alerts.push(...(await judgePeers(config, endpoint, s, state)));
      }
      return alerts;
    },
  };
}

async function judgePeers(
  config: Config,
  endpoint: string,
  s: EndpointState,
  state: Parameters<Detector['flush']>[0],
) {
  const t = config.detect.thresholds.egress;
  const perPeer: Histogram = new Map();
  for (const peers of s.peers.values()) for (const p of peers.values()) addToHistogram(perPeer, p.bytes);
  const peerBase = baselineOf(
    histogramFrom(await state.add(`egress-peers|${endpoint}`, histogramCounters(perPeer), BASELINE_TTL())),
  );
  const alerts: Alert[] = [];
  for (const [window, peers] of s.peers) {
    for (const [peer, p] of peers) {
      if (p.bytes < t.peerTrackMinBytes) continue;
      const totals = await state.add(
        `egress-peer|${endpoint}|${peer}|${window}`,
        { bytes: p.bytes },
        windowExpiry(window, t.windowMinutes),
      );
      const bytes = totals.bytes ?? 0;
      if (!peerBase || peerBase.samples < t.minSamples || bytes < t.minPeerBytes) continue;
      const z = robustZ(bytes, peerBase);
      if (z >= t.peerZ)
        alerts.push(
          alert(config, endpoint, peer, p.f, 'peer', window, {
            peerBytes: bytes,
            window: describeWindow(window, t.windowMinutes),
            ...figures(z, t.peerZ, t.minPeerBytes, peerBase),
          }),
        );
    }
  }
  return alerts;
}

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

function alert(
  config: Config,
  endpoint: string,
  peer: string,
  f: FlowRecord,
  scope: 'flow' | 'peer',
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
    title: `inference endpoint ${endpoint} sent an anomalous ${scope === 'flow' ? 'flow' : 'volume'} to ${peer}`,
    evidence: { endpoint, peer, scope, ...evidence },
  });
}

function keepTop(s: EndpointState, item: EndpointState['top'][number]): void {
  if (s.top.length < TOP_FLOWS) s.top.push(item);
  else {
    let min = 0;
    for (let i = 1; i < s.top.length; i++) if ((s.top[i]?.bytes ?? 0) < (s.top[min]?.bytes ?? 0)) min = i;
    s.top[min] = item;
  }
  if (s.top.length === TOP_FLOWS) s.topMin = Math.min(...s.top.map((x) => x.bytes));
}
