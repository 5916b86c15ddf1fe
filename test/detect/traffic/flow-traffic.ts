import type { FlowRecord } from '../../../core/detect/records.ts';
import { ACCOUNT } from '../detect-config.ts';
import type { Prng } from './prng.ts';

const MB = 1024 ** 2;
const ENDPOINT_IP = '10.20.1.15';
const ENI = 'eni-0f1e2d3c4b5a69788';

function flow(at: number, dst: string, bytes: number, dstPort: number): FlowRecord {
  return {
    kind: 'flow',
    cloud: 'aws',
    account: ACCOUNT,
    at,
    interfaceId: ENI,
    src: ENDPOINT_IP,
    dst,
    srcPort: 443,
    dstPort,
    protocol: 6,
    bytes,
    direction: 'egress',
  };
}

/** The inference fleet's clients: 150 internal callers and 150 partner addresses. */
export function clients(): string[] {
  return [
    ...Array.from({ length: 150 }, (_, i) => `10.21.${i >> 4}.${(i % 16) + 10}`),
    ...Array.from({ length: 150 }, (_, i) => `192.0.2.${i + 1}`),
  ];
}

/**
 * An hour of responses from one inference endpoint: `flows` log-normal responses (median 20 KB)
 * to its usual clients. Attacks: `bigFlows` single transfers of 1–3 GB to new addresses, and
 * `volumePeers` addresses that pull 600–900 MB in 2 MB pieces (no single flow stands out).
 */
export function egressHour(
  rng: Prng,
  start: number,
  opts: { flows?: number; bigFlows?: number; volumePeers?: number } = {},
) {
  const at = () => start + rng.int(0, 3_540_000);
  const peers = clients();
  const records: FlowRecord[] = [];
  for (let i = 0; i < (opts.flows ?? 3000); i++)
    records.push(flow(at(), rng.pick(peers), Math.round(rng.logNormal(20_000, 0.8)), rng.int(32768, 60999)));
  const attackers: string[] = [];
  for (let n = 0; n < (opts.bigFlows ?? 0); n++) {
    const peer = `203.0.113.${10 + n}`;
    attackers.push(peer);
    records.push(flow(at(), peer, rng.int(1024, 3072) * MB, rng.int(32768, 60999)));
  }
  for (let n = 0; n < (opts.volumePeers ?? 0); n++) {
    const peer = `198.51.100.${100 + n}`;
    attackers.push(peer);
    const pieces = rng.int(300, 450);
    for (let i = 0; i < pieces; i++) records.push(flow(at(), peer, 2 * MB, rng.int(32768, 60999)));
  }
  records.sort((a, b) => a.at - b.at);
  return { records, attackers };
}
