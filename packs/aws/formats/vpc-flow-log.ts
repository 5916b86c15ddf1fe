import { FieldReader } from '../../../core/detect/formats/field-reader.ts';
import { type LogFormat, malformed } from '../../../core/detect/formats/log-format.ts';
import type { FlowRecord } from '../../../core/detect/records.ts';

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
const NONE: FlowRecord[] = Object.freeze([]) as unknown as FlowRecord[];

/**
 * VPC Flow Logs as delivered to S3: space-separated fields, `-` for none. Files begin with a header
 * line naming the fields (custom formats choose their own list and order), so the header decides
 * the layout; without one, the default version 2 layout is assumed. NODATA/SKIPDATA lines and
 * rejected flows carry no bytes that left and are skipped.
 *
 * Each line is read in place (field-reader.ts): the same fields `line.split(' ')` gives, but only
 * the texts a record keeps are cut out; numbers are read where they stand.
 */
export const vpcFlowLogFormat: LogFormat = {
  name: 'vpc-flow',
  cloud: 'aws',
  framing: 'lines',
  sniff: ({ firstLine: l }) => headerNames(l) !== undefined || /^\d+ (\d{12}|-) (eni-\S+|-) /.test(l),
  documentation: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html',
  open: (ctx) => {
    let at = layout(DEFAULT_FIELDS);
    let f = new FieldReader(at.size, ' ');
    let account = '';
    let iface = '';
    /** The field is in the layout and is not `-`. */
    const present = (field: number) => f.has(field) && !f.is(field, '-');
    /** `Number(field)`, NaN when absent or `-`. */
    const number = (field: number) => (present(field) ? f.number(field) : Number.NaN);
    return (line) => {
      // A header decides the layout whatever its field count: a custom layout of 14 fields (the
      // default's count) in another order is a layout too. A data line never holds a field name.
      const names = headerNames(line);
      if (names) {
        at = layout(names);
        f = new FieldReader(at.size, ' ');
        return NONE;
      }
      const count = f.read(line);
      if (count !== at.size) malformed(`${count} fields, the header has ${at.size}`);
      // `status && status !== 'OK'`: an empty status field passes, like a missing one.
      if (present(at.status) && !f.is(at.status, '') && !f.is(at.status, 'OK')) return NONE;
      if (f.is(at.action, 'REJECT')) return NONE;
      const bytes = number(at.bytes);
      const start = number(at.start);
      const src = present(at.srcaddr) ? f.text(at.srcaddr) : undefined;
      const dst = present(at.dstaddr) ? f.text(at.dstaddr) : undefined;
      if (!src || !dst || !Number.isFinite(bytes) || !Number.isFinite(start))
        malformed('missing address, bytes or start');
      // The account and interface texts are kept while they repeat (cut out, then compared: a
      // compare in place costs more than the cut): the same text, and its hash, for the rules.
      if (!present(at.account)) account = ctx.defaultAccount ?? malformed('no account-id');
      else {
        const text = f.text(at.account) as string;
        if (text !== account) account = text;
      }
      let interfaceId: string | undefined;
      if (present(at.iface)) {
        // The interface id is longer: its cut is a slice of the line, slow to compare; in place instead.
        if (!f.is(at.iface, iface)) iface = f.text(at.iface) as string;
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
        srcPort: present(at.srcport) ? f.number(at.srcport) : 0,
        dstPort: present(at.dstport) ? f.number(at.dstport) : 0,
        protocol: present(at.protocol) ? f.number(at.protocol) : 0,
        bytes,
        direction: f.is(at.direction, 'egress')
          ? 'egress'
          : f.is(at.direction, 'ingress')
            ? 'ingress'
            : undefined,
      };
      return [record];
    };
  },
};

/**
 * The field names of a header line, or undefined for a data line. Names are written as the S3
 * delivery writes them (`account-id`), as in the custom format string (`${account-id}`), or with
 * underscores (`account_id`, as Athena tables and some exports name them). A header names
 * `srcaddr`; a data line holds an address or `-` there, so only a line that starts with a
 * lowercase letter and contains `srcaddr` is split and checked.
 */
export function headerNames(line: string): string[] | undefined {
  const c = line.charCodeAt(0);
  const first = c === 36 ? line.charCodeAt(2) : c; // `${`
  if (first < 97 || first > 122 || !line.includes('srcaddr')) return undefined;
  const names = line.trim().split(/ +/).map(fieldName);
  return names.every((n) => /^[a-z][a-z0-9-]*$/.test(n)) && names.includes('srcaddr') ? names : undefined;
}

const fieldName = (raw: string) => raw.replace(/^\$\{(.*)\}$/, '$1').replaceAll('_', '-');

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
