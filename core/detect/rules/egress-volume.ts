import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { endpointMatcher } from '../endpoints.ts';
import { getOrCreate } from '../get-or-create.ts';
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
  peers: Map<string, { bytes: number; window: number; f: FlowRecord }>;
}

/**
 * Rule 3a: bytes an inference endpoint sends per flow and per peer, against a robust baseline
 * (median/MAD of log2 bytes, robust-baseline.ts) kept in the WindowStore. A flow or a peer's window
 * total alerts when it is both far above the baseline (z ≥ flowZ/peerZ) and large in absolute terms.
 */
export function egressVolumeDetector(config: Config): Detector {
  const t = config.detect.thresholds.egress;
  const endpoints = endpointMatcher(config.detect.inferenceEndpoints);
  let seen = new Map<string, EndpointState>();
  return {
    id: 'egress-volume',
    observe(r) {
      if (endpoints.empty || r.kind !== 'flow') return;
      const e = endpoints.egress(r);
      if (!e || e.bytes <= 0) return;
      const s = getOrCreate(seen, e.endpoint, () => ({ flows: new Map(), top: [], peers: new Map() }));
      addToHistogram(s.flows, e.bytes);
      keepTop(s.top, { bytes: e.bytes, peer: e.peer, f: r });
      const window = windowStart(r.at, t.windowMinutes);
      const key = `${e.peer}|${window}`;
      const p = s.peers.get(key);
      if (p) p.bytes += e.bytes;
      else if (s.peers.size < MAX_PEERS) s.peers.set(key, { bytes: e.bytes, window, f: r });
    },
    async flush(state) {
      const batch = seen;
      seen = new Map();
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
  for (const p of s.peers.values()) addToHistogram(perPeer, p.bytes);
  const peerBase = baselineOf(
    histogramFrom(await state.add(`egress-peers|${endpoint}`, histogramCounters(perPeer), BASELINE_TTL())),
  );
  const alerts: Alert[] = [];
  for (const [key, p] of s.peers) {
    if (p.bytes < t.peerTrackMinBytes) continue;
    const peer = key.slice(0, key.lastIndexOf('|'));
    const totals = await state.add(
      `egress-peer|${endpoint}|${key}`,
      { bytes: p.bytes },
      windowExpiry(p.window, t.windowMinutes),
    );
    const bytes = totals.bytes ?? 0;
    if (!peerBase || peerBase.samples < t.minSamples || bytes < t.minPeerBytes) continue;
    const z = robustZ(bytes, peerBase);
    if (z >= t.peerZ)
      alerts.push(
        alert(config, endpoint, peer, p.f, 'peer', p.window, {
          peerBytes: bytes,
          window: describeWindow(p.window, t.windowMinutes),
          ...figures(z, t.peerZ, t.minPeerBytes, peerBase),
        }),
      );
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

function keepTop(top: EndpointState['top'], item: EndpointState['top'][number]): void {
  if (top.length < TOP_FLOWS) top.push(item);
  else {
    let min = 0;
    for (let i = 1; i < top.length; i++) if ((top[i]?.bytes ?? 0) < (top[min]?.bytes ?? 0)) min = i;
    if ((top[min]?.bytes ?? 0) >= item.bytes) return;
    top[min] = item;
  }
}
