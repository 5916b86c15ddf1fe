import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { egressOf } from '../endpoints.ts';
import { ipPrincipal } from '../principals.ts';
import type { FlowRecord } from '../records.ts';

const MAX_PEERS = 20_000;
const LEARNING_TTL = () => new Date(Date.now() + 365 * 24 * 3600_000);

interface Seen {
  flows: number;
  peers: Map<string, { bytes: number; f: FlowRecord }>;
}

/**
 * Rule 3b: an external peer that receives at least `minBytes` from an inference endpoint within one
 * log file, and has never done so before. Peers are remembered in the WindowStore; while the
 * endpoint has fewer than egress.minSamples flows on record, peers are learned without alerting.
 */
export function newExternalPeerDetector(config: Config): Detector {
  const t = config.detect.thresholds;
  const endpoints = egressOf(config);
  let seen = new Map<string, Seen>();
  // Flows of one endpoint come in runs: its state is kept at hand.
  let last: Seen | undefined;
  let lastEndpoint = '';
  return {
    id: 'new-external-peer',
    kinds: ['flow'],
    observe(r) {
      if (endpoints.empty || r.kind !== 'flow') return;
      const e = endpoints.egress(r);
      if (!e) return;
      let s = e.endpoint === lastEndpoint ? last : seen.get(e.endpoint);
      if (s === undefined) {
        s = { flows: 0, peers: new Map() };
        seen.set(e.endpoint, s);
      }
      last = s;
      lastEndpoint = e.endpoint;
      s.flows++;
      if (!e.external) return;
      const p = s.peers.get(e.peer);
      if (p) p.bytes += e.bytes;
      else if (s.peers.size < MAX_PEERS) s.peers.set(e.peer, { bytes: e.bytes, f: r });
    },
    async flush(state) {
      const batch = seen;
      seen = new Map();
      last = undefined;
      lastEndpoint = '';
      const alerts: Alert[] = [];
      for (const [endpoint, s] of batch) {
        const learned =
          ((await state.add(`peer-learning|${endpoint}`, { flows: s.flows }, LEARNING_TTL())).flows ?? 0) >=
          t.egress.minSamples;
        for (const [peer, p] of s.peers) {
          if (p.bytes < t.newExternalPeer.minBytes) continue;
          if (!(await state.remember(`egress-peers|${endpoint}`, peer)) || !learned) continue;
          alerts.push(
            detectorAlert({
              rule: 'new-external-peer',
              type: DETECTOR_ALERT_TYPES.newExternalPeer,
              severity: t.newExternalPeer.severity,
              cloud: p.f.cloud,
              account: p.f.account,
              principal: ipPrincipal(peer, p.f.account),
              resources: [],
              observedAt: p.f.at,
              subject: `${endpoint}>${peer}`,
              window: 'first',
              title: `inference endpoint ${endpoint} sent ${p.bytes} bytes to a new external peer ${peer}`,
              evidence: { endpoint, peer, bytes: p.bytes, minBytes: t.newExternalPeer.minBytes },
            }),
          );
        }
      }
      return alerts;
    },
  };
}
