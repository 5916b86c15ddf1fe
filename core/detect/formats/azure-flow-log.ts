import type { FlowRecord } from '../records.ts';
import { subscriptionOf } from './azure-ids.ts';
import { type LogFormat, malformed, obj, parseObject, str } from './log-format.ts';

const PROTOCOLS: Record<string, number> = { T: 6, U: 17 };

/**
 * Azure VNet flow logs (version 4) and NSG flow logs (version 2): a JSON document `{"records":[…]}`
 * per hourly blob (Network Watcher, "Virtual network flow logs" / "NSG flow logs" log format).
 * Each flow tuple is comma separated: time, source and destination address and port, protocol,
 * direction (I/O), state, [encryption (v4)], packets and bytes source→destination, packets and
 * bytes destination→source. Version 4 times are epoch ms, version 2 epoch seconds.
 */
export const azureFlowLogFormat: LogFormat = {
  name: 'azure-flow',
  cloud: 'azure',
  framing: 'json-array',
  documentation: 'https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview',
  open: () => (unit) => {
    const r = parseObject(unit);
    const target =
      str(r.targetResourceID) ?? str(r.resourceId) ?? malformed('no targetResourceID or resourceId');
    const account =
      subscriptionOf(target) ?? subscriptionOf(str(r.flowLogResourceID)) ?? malformed('no subscription');
    const v4 = obj(r.flowRecords);
    const groups = v4
      ? ((v4.flows as { flowGroups?: { flowTuples?: unknown[] }[] }[] | undefined) ?? []).flatMap(
          (f) => f.flowGroups ?? [],
        )
      : ((obj(r.properties)?.flows as { flows?: { flowTuples?: unknown[] }[] }[] | undefined) ?? []).flatMap(
          (f) => f.flows ?? [],
        );
    const out: FlowRecord[] = [];
    for (const g of groups)
      for (const t of g.flowTuples ?? []) out.push(tuple(String(t), !!v4, account, target));
    return out;
  },
};

function tuple(text: string, v4: boolean, account: string, target: string): FlowRecord {
  const f = text.split(',');
  const [ts = '', src = '', dst = '', sport = '', dport = '', proto = '', dir = ''] = f;
  const counts = v4 ? f.slice(9) : f.slice(9, 13);
  if (!src || !dst || (dir !== 'I' && dir !== 'O')) malformed(`bad flow tuple: ${text.slice(0, 80)}`);
  const at = Number(ts) * (v4 ? 1 : 1000);
  if (!Number.isFinite(at)) malformed(`bad flow tuple time: ${ts}`);
  return {
    kind: 'flow',
    cloud: 'azure',
    account,
    at,
    interfaceId: target,
    src,
    dst,
    srcPort: Number(sport) || 0,
    dstPort: Number(dport) || 0,
    protocol: PROTOCOLS[proto] ?? (Number(proto) || 0),
    bytes: Number(counts[1]) || 0,
    reverseBytes: Number(counts[3]) || 0,
    direction: dir === 'O' ? 'egress' : 'ingress',
  };
}
