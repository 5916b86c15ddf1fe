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
    let index = layout(DEFAULT_FIELDS);
    return (line) => {
      const f = line.split(' ');
      if (/^[a-z][a-z0-9-]*$/.test(f[0] ?? '') && f.includes('srcaddr')) {
        index = layout(f);
        return [];
      }
      if (f.length !== index.size) malformed(`${f.length} fields, the header has ${index.size}`);
      const get = (name: string) => {
        const i = index.get(name);
        const v = i === undefined ? undefined : f[i];
        return v === '-' ? undefined : v;
      };
      const status = get('log-status');
      if (status && status !== 'OK') return [];
      if (get('action') === 'REJECT') return [];
      const bytes = Number(get('bytes'));
      const start = Number(get('start'));
      const src = get('srcaddr');
      const dst = get('dstaddr');
      if (!src || !dst || !Number.isFinite(bytes) || !Number.isFinite(start))
        malformed('missing address, bytes or start');
      const account = get('account-id') ?? ctx.defaultAccount ?? malformed('no account-id');
      const direction = get('flow-direction');
      const iface = get('interface-id');
      const record: FlowRecord = {
        kind: 'flow',
        cloud: 'aws',
        account,
        at: start * 1000,
        ...(iface ? { interfaceId: iface } : {}),
        src,
        dst,
        srcPort: Number(get('srcport') ?? 0),
        dstPort: Number(get('dstport') ?? 0),
        protocol: Number(get('protocol') ?? 0),
        bytes,
        ...(direction === 'egress' || direction === 'ingress' ? { direction } : {}),
      };
      return [record];
    };
  },
};

function layout(names: readonly string[]): Map<string, number> {
  const index = new Map(names.map((n, i) => [n, i]));
  for (const n of NEEDED) if (!index.has(n)) malformed(`flow log header lacks ${n}`);
  return index;
}
