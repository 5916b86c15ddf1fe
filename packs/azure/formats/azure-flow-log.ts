import { FieldReader } from '../../../core/detect/formats/field-reader.ts';
import { type LogFormat, malformed, obj, parseObject, str } from '../../../core/detect/formats/log-format.ts';
import type { FlowRecord } from '../../../core/detect/records.ts';
import { subscriptionOf } from './azure-ids.ts';

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
  sniff: ({ text }) => /^\{\s*"records"\s*:/.test(text) && /flowTuples|flowLogVersion|"flows"/.test(text),
  documentation: 'https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview',
  open: () => (unit) => flowRecords(parseObject(unit)),
  openValue: () => flowRecords,
};

/** One flow log record (already parsed) as flow records, one per tuple. */
function flowRecords(r: Record<string, unknown>): FlowRecord[] {
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
}

/** Positions of a tuple's fields: time, source, destination, ports, protocol, direction, …, bytes both ways. */
const [TIME, SRC, DST, SPORT, DPORT, PROTO, DIR, BYTES, REVERSE] = [0, 1, 2, 3, 4, 5, 6, 10, 12];
const fields = new FieldReader(13, ',');

/** One flow tuple, read in place: only the addresses are cut out. */
function tuple(text: string, v4: boolean, account: string, target: string): FlowRecord {
  fields.read(text);
  const src = fields.text(SRC) ?? '';
  const dst = fields.text(DST) ?? '';
  const direction = fields.is(DIR, 'O') ? 'egress' : fields.is(DIR, 'I') ? 'ingress' : undefined;
  if (!src || !dst || !direction) malformed(`bad flow tuple: ${text.slice(0, 80)}`);
  const at = fields.number(TIME) * (v4 ? 1 : 1000);
  if (!Number.isFinite(at)) malformed(`bad flow tuple time: ${fields.text(TIME) ?? ''}`);
  return {
    kind: 'flow',
    cloud: 'azure',
    account,
    at,
    interfaceId: target,
    src,
    dst,
    srcPort: fields.number(SPORT) || 0,
    dstPort: fields.number(DPORT) || 0,
    protocol: fields.is(PROTO, 'T') ? 6 : fields.is(PROTO, 'U') ? 17 : protocol(fields.text(PROTO) ?? ''),
    bytes: fields.number(BYTES) || 0,
    reverseBytes: fields.number(REVERSE) || 0,
    direction,
  };
}

function protocol(proto: string): number {
  return PROTOCOLS[proto] ?? (Number(proto) || 0);
}
