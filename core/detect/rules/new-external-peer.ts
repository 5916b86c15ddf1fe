import type { Alert } from '../../alert.ts';
import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import { binSamples } from '../bin-samples.ts';
import type { Detector } from '../detector.ts';
import { detectorAlert } from '../detector-alert.ts';
import { egressOf } from '../endpoints.ts';
import type { FlowOrigin } from '../flow-origin.ts';
import { capBinCounters, peerBin } from '../peer-bins.ts';
import { ipPrincipal } from '../principals.ts';
import {
  addCounters,
  binMove,
  binName,
  binOf,
  type Histogram,
  histogramCounters,
  histogramFrom,
  largestOf,
  without,
} from '../robust-baseline.ts';
import { describeWindow, windowExpiry, windowStart } from '../window.ts';
import { addAll } from '../window-store.ts';
import { mergeEntries, windowedEntries } from '../windowed-entries.ts';

const LEARNING_TTL = () => new Date(Date.now() + 365 * 24 * 3600_000);

/** Bytes one endpoint sent one external peer in one window (so far in this file). */
interface PeerWindow extends FlowOrigin {
  window: number;
  /** The endpoint. */
  detail: string;
  peer: string;
  bytes: number;
}

/** Per endpoint, this file: flows not yet counted toward learning, flows counted, samples added. */
interface EndpointFile {
  pending: number;
  counted: number;
  bins: Histogram;
}

/**
 * Rule 3b: an external peer (neither private nor in `detect.expectedNetworks`) that receives, in one
 * window, at least `minBytes` from an inference endpoint for the first time, **and** at least
 * `priorFactor` times the largest window total any external peer of that endpoint received before
 * this file (a histogram of window totals in the WindowStore). Peers are remembered in the
 * WindowStore; while the endpoint had fewer than egress.minSamples flows before this file, peers
 * are learned without alerting.
 */
export function newExternalPeerDetector(config: Config): Detector {
  const t = config.detect.thresholds;
  const cap = config.detect.maxStateEntries;
  const endpoints = egressOf(config);
  let files = new Map<string, EndpointFile>();
  const peers = windowedEntries<PeerWindow>(cap);
  // This file's number (from the store, unique across writers), once a peer is new in it: the
  // window a peer was new in carries it (`newIn`), so a spilled part of that window, judged on its
  // total so far, has the rest judged again on the grown total, and the alert re-raised with the
  // window's final figures. In the store, not a map: nothing per peer is held for the file.
  let fileNo: number | undefined;
  let last: EndpointFile | undefined;
  let lastEndpoint = '';
  return {
    id: 'new-external-peer',
    kinds: ['flow'],
    observe(r) {
      if (endpoints.empty || r.kind !== 'flow') return;
      const e = endpoints.egress(r);
      if (!e) return;
      let s = e.endpoint === lastEndpoint ? last : files.get(e.endpoint);
      if (s === undefined) {
        s = { pending: 0, counted: 0, bins: new Map() };
        files.set(e.endpoint, s);
      }
      last = s;
      lastEndpoint = e.endpoint;
      s.pending++;
      if (e.internal || e.bytes <= 0) return;
      const window = windowStart(r.at, t.egress.windowMinutes);
      const p =
        peers.get(e.peer, window, e.endpoint) ??
        peers.add(e.peer, {
          window,
          detail: e.endpoint,
          peer: e.peer,
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
      const batch = mergeEntries(
        only === 'spilled' ? peers.spilled() : peers.take(),
        (p) => p.peer,
        addBytes,
      );
      const fileState = files;
      const thisFile = fileNo;
      let no = fileNo;
      if (only !== 'spilled') {
        files = new Map();
        fileNo = undefined;
        last = undefined;
        lastEndpoint = '';
      }
      // Learning: flows before this file.
      const learned = new Map<string, boolean>();
      for (const [endpoint, s] of fileState) {
        const flows = (await state.add(`peer-learning|${endpoint}`, { flows: s.pending }, LEARNING_TTL()))
          .flows;
        s.counted += s.pending;
        s.pending = 0;
        learned.set(endpoint, (flows ?? 0) - s.counted >= t.egress.minSamples);
      }
      const tracked = batch.filter((p) => p.bytes >= t.egress.peerTrackMinBytes);
      const untracked = batch.filter((p) => p.bytes < t.egress.peerTrackMinBytes);
      const totals = await addAll(
        state,
        tracked.map((p) => ({
          key: `new-external-peer|${p.detail}|${p.peer}|${p.window}`,
          deltas: { bytes: p.bytes },
          expiresAt: windowExpiry(p.window, t.egress.windowMinutes),
        })),
      );
      const judged = [
        ...tracked.map((p, i) => ({
          p,
          after: totals[i]?.bytes ?? p.bytes,
          suspect: !!totals[i]?.suspect,
          newIn: totals[i]?.newIn,
        })),
        // Untracked windows of at least minBytes are judged; smaller ones are only samples.
        ...untracked
          .filter((p) => p.bytes >= t.newExternalPeer.minBytes)
          .map((p) => ({ p, after: p.bytes, suspect: false, newIn: undefined })),
      ];
      // The samples of the unjudged ones, one move per endpoint (binSamples), added after the
      // judged windows' moves (whose totals the verdicts read: a key's totals are after all its adds).
      const samples = binSamples(
        untracked.filter((p) => p.bytes < t.newExternalPeer.minBytes),
        (p) => p.detail,
        (p) => p.bytes,
      );
      // A window that raised this alert is no one's history: it left the histogram when it did.
      const moves = judged.map(({ p, after, suspect }) => ({
        key: `new-external-peer|windows|${p.detail}`,
        // In the capped bins (peer-bins.ts), as egress-volume's: a key never holds more than the store keeps.
        deltas: suspect
          ? { [binName(peerBin(binOf(after)))]: 0 }
          : after === p.bytes
            ? { [binName(peerBin(binOf(after)))]: 1 }
            : capBinCounters(binMove(after - p.bytes, after)),
        expiresAt: LEARNING_TTL(),
      }));
      judged.forEach(({ p }, i) => {
        const s = fileState.get(p.detail);
        if (s) addCounters(s.bins, moves[i]?.deltas ?? {});
      });
      const sampleMoves = [...samples].map(([endpoint, h]) => ({
        key: `new-external-peer|windows|${endpoint}`,
        deltas: capBinCounters(histogramCounters(h)),
        expiresAt: LEARNING_TTL(),
        endpoint,
      }));
      for (const { endpoint, deltas } of sampleMoves) {
        const s = fileState.get(endpoint);
        if (s) addCounters(s.bins, deltas);
      }
      const histograms = await addAll(state, [
        ...moves,
        ...sampleMoves.map(({ key, deltas, expiresAt }) => ({ key, deltas, expiresAt })),
      ]);
      const alerts: Alert[] = [];
      const removed: { endpoint: string; out: Record<string, number> }[] = [];
      for (let i = 0; i < judged.length; i++) {
        const { p, after, newIn } = judged[i] as (typeof judged)[number];
        if (after < t.newExternalPeer.minBytes) continue;
        const windowKey = `new-external-peer|${p.detail}|${p.peer}|${p.window}`;
        // Judged again only in the file, and the window, the peer was new in.
        if (thisFile === undefined || newIn !== thisFile) {
          if (!(await state.remember(`egress-peers|${p.detail}`, p.peer))) continue;
          no ??= (await state.add('new-external-peer|files', { n: 1 }, LEARNING_TTL())).n ?? 0;
          if (only === 'spilled') fileNo = no;
          await state.add(windowKey, { newIn: no }, windowExpiry(p.window, t.egress.windowMinutes));
        }
        if (!learned.get(p.detail)) continue;
        const prior = without(histogramFrom(histograms[i] ?? {}), fileState.get(p.detail)?.bins);
        const largest = Math.round(largestOf(prior));
        if (after < t.newExternalPeer.priorFactor * largest) continue;
        alerts.push(newPeerAlert(config, p, after, largest));
        if (judged[i]?.suspect) continue;
        await state.add(windowKey, { suspect: 1 }, windowExpiry(p.window, t.egress.windowMinutes));
        const out = { [binName(peerBin(binOf(after)))]: -1 };
        await state.add(`new-external-peer|windows|${p.detail}`, out, LEARNING_TTL());
        removed.push({ endpoint: p.detail, out });
      }
      // This file's change too, so its later flushes still judge against the history before it
      // (this flush's verdicts read the histograms from before these removals).
      for (const { endpoint, out } of removed) {
        const s = fileState.get(endpoint);
        if (s) addCounters(s.bins, out);
      }
      return alerts;
    },
  };
}

const addBytes = (into: PeerWindow, from: PeerWindow) => {
  into.bytes += from.bytes;
};

function newPeerAlert(config: Config, p: PeerWindow, bytes: number, largestPrior: number): Alert {
  const t = config.detect.thresholds;
  const times =
    largestPrior > 0
      ? `, ${Math.round(bytes / largestPrior)} times the most any external peer received in a window before`
      : '';
  return detectorAlert({
    rule: 'new-external-peer',
    type: DETECTOR_ALERT_TYPES.newExternalPeer,
    severity: t.newExternalPeer.severity,
    cloud: p.cloud,
    account: p.account,
    principal: ipPrincipal(p.peer, p.account),
    resources: [],
    observedAt: p.at,
    subject: `${p.detail}>${p.peer}`,
    window: 'first',
    title: `inference endpoint ${p.detail} sent ${bytes} bytes to a new external peer ${p.peer}${times}`,
    evidence: {
      endpoint: p.detail,
      peer: p.peer,
      bytes,
      largestPriorPeerBytes: largestPrior,
      priorFactor: t.newExternalPeer.priorFactor,
      minBytes: t.newExternalPeer.minBytes,
      window: describeWindow(p.window, t.egress.windowMinutes),
    },
  });
}
