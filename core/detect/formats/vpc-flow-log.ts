import type { FlowRecord } from '../records.ts';
import { FieldReader } from './field-reader.ts';
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
/** The fields a record is made of (the reader notes where they are in each line). */
const READ = [
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'bytes',
  'start',
  'action',
  'log-status',
  'flow-direction',
];
const [ACCOUNT, IFACE, SRC, DST, SRCPORT, DSTPORT, PROTOCOL, BYTES, START, ACTION, STATUS, DIRECTION] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
];
const NONE: FlowRecord[] = Object.freeze([]) as unknown as FlowRecord[];

/**
 * VPC Flow Logs as delivered to S3: space-separated fields, `-` for none. Files begin with a header
 * line naming the fields (custom formats choose their own list and order), so the header decides
 * the layout; without one, the default version 2 layout is assumed. NODATA/SKIPDATA lines and
 * rejected flows carry no bytes that left and are skipped.
 *
 * Each line is read in place (field-reader.ts): the same fields `line.split(' ')` gives, but only
 * the addresses are cut out; numbers are read where they stand and the account and interface
 * texts are reused while they repeat.
 */
export const vpcFlowLogFormat: LogFormat = {
  name: 'vpc-flow',
  cloud: 'aws',
  framing: 'lines',
  documentation: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html',
  open: (ctx) => {
    const f = new FieldReader(READ.length, { separator: ' ', none: '-' });
    let size = layout(f, DEFAULT_FIELDS);
    let account = '';
    let iface = '';
    return (line) => {
      const count = f.read(line);
      if (count !== size) {
        const fields = line.split(' ');
        if (/^[a-z][a-z0-9-]*$/.test(fields[0] ?? '') && fields.includes('srcaddr')) {
          size = layout(f, fields);
          return NONE;
        }
        malformed(`${count} fields, the header has ${size}`);
      }
      if (f.is(SRC, 'srcaddr')) return NONE;
      // `status && status !== 'OK'`: an empty status field passes, like a missing one.
      if (f.present(STATUS) && !f.is(STATUS, '') && !f.is(STATUS, 'OK')) return NONE;
      if (f.is(ACTION, 'REJECT')) return NONE;
      const bytes = f.number(BYTES);
      const start = f.number(START);
      const src = f.text(SRC);
      const dst = f.text(DST);
      if (!src || !dst || !Number.isFinite(bytes) || !Number.isFinite(start))
        malformed('missing address, bytes or start');
      if (!f.present(ACCOUNT)) account = ctx.defaultAccount ?? malformed('no account-id');
      else if (!f.is(ACCOUNT, account)) account = f.text(ACCOUNT) as string;
      let interfaceId: string | undefined;
      if (f.present(IFACE)) {
        if (!f.is(IFACE, iface)) iface = f.text(IFACE) as string;
        interfaceId = iface;
      }
      const record: FlowRecord = {
        kind: 'flow',
        cloud: 'aws',
        account,
        at: start * 1000,
        interfaceId,
        src,
        dst,
        srcPort: f.present(SRCPORT) ? f.number(SRCPORT) : 0,
        dstPort: f.present(DSTPORT) ? f.number(DSTPORT) : 0,
        protocol: f.present(PROTOCOL) ? f.number(PROTOCOL) : 0,
        bytes,
        direction: f.is(DIRECTION, 'egress') ? 'egress' : f.is(DIRECTION, 'ingress') ? 'ingress' : undefined,
      };
      return [record];
    };
  },
};

/** Points the reader at a header's fields; returns the number of fields a line must have. */
function layout(f: FieldReader, names: readonly string[]): number {
  for (const n of NEEDED) if (!names.includes(n)) malformed(`flow log header lacks ${n}`);
  // A name given twice is read from its first position, as names.indexOf would find it.
  f.layout(names.map((name, at) => (names.indexOf(name) === at ? READ.indexOf(name) : -1)));
  return names.length;
}
