import type { FlowRecord } from '../records.ts';
import { type LogFormat, malformed } from './log-format.ts';

/** The default (version 2) field list, in order (VPC User Guide, "Flow log records"). */
export const DEFAULT_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];
const NEEDED = ['srcaddr', 'dstaddr', 'bytes', 'start'];

/**
 * VPC Flow Logs as delivered to S3: space-separated fields, `-` for none. Files begin with a header
 * line naming the fields (custom formats choose their own list and order), so the header decides
 * the layout; without one, the default version 2 layout is assumed. NODATA/SKIPDATA lines and
 * rejected flows carry no bytes that left and are skipped.
 */
export const vpcFlowLogFormat: LogFormat = {
  name: 'vpc-flow',
  cloud: 'aws',
  framing: 'lines',
  documentation: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html',
  open: (ctx) => {
    let at = layout(DEFAULT_FIELDS);
    return (line) => {
      const f = line.split(' ');
      if (f.length !== at.size) {
        if (/^[a-z][a-z0-9-]*$/.test(f[0] ?? '') && f.includes('srcaddr')) {
          at = layout(f);
          return [];
        }
        malformed(`${f.length} fields, the header has ${at.size}`);
      }
      if (f[at.srcaddr] === 'srcaddr') return [];
      const get = (i: number) => (i < 0 || f[i] === '-' ? undefined : f[i]);
      const status = get(at.status);
      if ((status && status !== 'OK') || get(at.action) === 'REJECT') return [];
      const bytes = Number(get(at.bytes));
      const start = Number(get(at.start));
      const src = get(at.srcaddr);
      const dst = get(at.dstaddr);
      if (!src || !dst || !Number.isFinite(bytes) || !Number.isFinite(start))
        malformed('missing address, bytes or start');
      const account = get(at.account) ?? ctx.defaultAccount ?? malformed('no account-id');
      const direction = get(at.direction);
      const iface = get(at.iface);
      const record: FlowRecord = {
        kind: 'flow',
        cloud: 'aws',
        account,
        at: start * 1000,
        interfaceId: iface,
        src,
        dst,
        srcPort: Number(get(at.srcport) ?? 0),
        dstPort: Number(get(at.dstport) ?? 0),
        protocol: Number(get(at.protocol) ?? 0),
        bytes,
        direction: direction === 'egress' || direction === 'ingress' ? direction : undefined,
      };
      return [record];
    };
  },
};

/** Field positions from a header (−1 when the layout lacks an optional field). */
function layout(names: readonly string[]) {
  for (const n of NEEDED) if (!names.includes(n)) malformed(`flow log header lacks ${n}`);
  const i = (name: string) => names.indexOf(name);
  return {
    size: names.length,
    account: i('account-id'),
    iface: i('interface-id'),
    srcaddr: i('srcaddr'),
    dstaddr: i('dstaddr'),
    srcport: i('srcport'),
    dstport: i('dstport'),
    protocol: i('protocol'),
    bytes: i('bytes'),
    start: i('start'),
    action: i('action'),
    status: i('log-status'),
    direction: i('flow-direction'),
  };
}
