import type { Config } from '../config.ts';
import { type Cidr, cidrContains, isPrivateIp, networkMatcher, parseCidr, parseIpv4 } from './networks.ts';
import type { FlowRecord } from './records.ts';

/** One flow seen from an inference endpoint: what it sent to whom. */
export interface Egress {
  /** The configured entry that matched, plus the local address when the entry is a network or interface. */
  endpoint: string;
  peer: string;
  bytes: number;
  external: boolean;
  /**
   * The peer is private or inside `detect.expectedNetworks`: it is judged against its own history,
   * never as a new external peer (egress-volume.ts, new-external-peer.ts).
   */
  internal: boolean;
}

/**
 * detect.inferenceEndpoints compiled: ENI ids and resource ids match a flow's interface, IPs and
 * CIDRs match its local address. Direction comes from the log when it says (AWS `flow-direction`,
 * Azure `I`/`O` with byte counts both ways); an AWS default-format record without it counts as
 * egress when it leaves a private address for an external one, or, between private addresses,
 * when it is sent from the lower (server) port.
 */
export function endpointMatcher(entries: readonly string[], expectedNetworks: readonly string[] = []) {
  const expected = networkMatcher(expectedNetworks);
  const cidrs = entries.map((e) => [e, parseCidr(e)] as const).filter((x): x is [string, Cidr] => !!x[1]);
  const ids = entries.filter((e) => !parseCidr(e)).map((e) => e.toLowerCase());
  const memo = new Map<string, string | null>();
  // IPv4 addresses are parsed and compared directly (they vary too much for a memo to hit); only
  // other addresses can match IPv6 ranges, and those answers are memoized.
  const ipEndpoint = (ip: string) => {
    const address = parseIpv4(ip);
    if (address !== undefined) {
      for (const [entry, c] of cidrs)
        if (c.version === 4 && (address & c.mask) >>> 0 === c.base) return entry;
      return undefined;
    }
    let hit = memo.get(ip);
    if (hit === undefined) {
      hit = cidrs.find(([, c]) => cidrContains(c, ip))?.[0] ?? null;
      if (memo.size > 50_000) memo.clear();
      memo.set(ip, hit);
    }
    return hit ?? undefined;
  };
  const owners = new Map<string, string | null>();
  let lastIface = '';
  let lastOwnerOfIface: string | null = null;
  const interfaceOwner = (iface: string) => {
    // Flows of one interface come in runs: the last answer first.
    if (iface === lastIface) return lastOwnerOfIface ?? undefined;
    let hit = owners.get(iface);
    if (hit === undefined) {
      const lower = iface.toLowerCase();
      hit = ids.find((id) => lower === id || lower.startsWith(`${id}/`)) ?? null;
      owners.set(iface, hit);
    }
    lastIface = iface;
    lastOwnerOfIface = hit;
    return hit ?? undefined;
  };
  // The endpoint's name, kept while owner and local address repeat (they do, flow after flow):
  // the same text, and its hash, instead of a new concatenation per flow.
  let lastOwner = '';
  let lastLocal = '';
  let lastName = '';
  const egress = (
    owner: string,
    local: string,
    peer: string,
    bytes: number,
    peerPrivate?: boolean,
  ): Egress => {
    if (owner !== lastOwner || local !== lastLocal) {
      lastOwner = owner;
      lastLocal = local;
      lastName = owner === local ? owner : `${owner}|${local}`;
    }
    const external = !(peerPrivate ?? isPrivateIp(peer));
    return {
      endpoint: lastName,
      peer,
      bytes,
      external,
      internal: !external || expected.matches({ ip: peer }),
    };
  };
  return {
    empty: entries.length === 0,
    egress(f: FlowRecord): Egress | undefined {
      const byInterface = f.interfaceId ? interfaceOwner(f.interfaceId) : undefined;
      if (f.direction === 'ingress' && f.reverseBytes !== undefined) {
        const owner = byInterface ?? ipEndpoint(f.dst);
        return owner ? egress(owner, f.dst, f.src, f.reverseBytes) : undefined;
      }
      const owner = byInterface ?? ipEndpoint(f.src);
      if (!owner) return undefined;
      if (f.direction === 'ingress') return undefined;
      if (f.direction === undefined && byInterface) {
        const dstPrivate = isPrivateIp(f.dst);
        if (!looksOutbound(f, dstPrivate)) return undefined;
        return egress(owner, f.src, f.dst, f.bytes, dstPrivate);
      }
      return egress(owner, f.src, f.dst, f.bytes);
    },
  };
}

/** Without a direction in the log: leaving a private address for an external one, or served from the lower port. */
function looksOutbound(f: FlowRecord, dstPrivate: boolean): boolean {
  const srcPrivate = isPrivateSource(f.src);
  if (srcPrivate !== dstPrivate) return srcPrivate;
  return f.srcPort < f.dstPort;
}

let lastSource = '';
let lastSourcePrivate = false;

/** isPrivateIp for a flow's source: the endpoint's own address, flow after flow. */
function isPrivateSource(ip: string): boolean {
  if (ip !== lastSource) {
    lastSource = ip;
    lastSourcePrivate = isPrivateIp(ip);
  }
  return lastSourcePrivate;
}

type EgressView = { empty: boolean; egress: (f: FlowRecord) => Egress | undefined };
const shared = new WeakMap<Config, EgressView>();

/**
 * The egress view of a flow for one configuration, shared by the egress rules: both ask about
 * the same record in turn, so the last answer is kept.
 */
export function egressOf(config: Config): EgressView {
  let view = shared.get(config);
  if (!view) {
    const matcher = endpointMatcher(config.detect.inferenceEndpoints, config.detect.expectedNetworks);
    let last: FlowRecord | undefined;
    let answer: Egress | undefined;
    view = {
      empty: matcher.empty,
      egress: (f) => {
        if (f !== last) {
          last = f;
          answer = matcher.egress(f);
        }
        return answer;
      },
    };
    shared.set(config, view);
  }
  return view;
}
