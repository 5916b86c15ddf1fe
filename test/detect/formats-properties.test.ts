import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldReader } from '../../core/detect/formats/field-reader.ts';
import { jsonArrayElements, jsonArrayUnits } from '../../core/detect/formats/json-array-stream.ts';
import { memo, memoByFirst } from '../../core/detect/memo.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { SKETCH_BINS, sketch } from '../../core/detect/minhash.ts';
import { NameTally } from '../../core/detect/name-tally.ts';
import type { FlowRecord, ObjectAccess } from '../../core/detect/records.ts';
import { addAll, type WindowAdd, type WindowStore } from '../../core/detect/window-store.ts';
import { windowedEntries } from '../../core/detect/windowed-entries.ts';
import { DEFAULT_FIELDS } from '../../packs/aws/formats/vpc-flow-log.ts';
import { FORMATS } from '../../packs/index.ts';
import { ACCOUNT } from './detect-config.ts';

// Every fast parsing path against a plain reference written here: equal output on every input.

const RUNS = { numRuns: 300 };

/** Text of the characters a log field is made of, the separator and look-alikes included. */
const fieldText = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '7', '-', '.', ' ', ',', '"', 'é', '😀'),
  maxLength: 12,
});

describe('FieldReader is line.split(separator)', () => {
  it('count, text, is and number of every field', () => {
    fc.assert(
      fc.property(
        fc.array(fieldText, { maxLength: 20 }),
        fc.constantFrom(' ', ','),
        fc.integer({ min: 0, max: 24 }),
        fieldText,
        (fields, sep, capacity, word) => {
          const line = fields.join(sep);
          const want = line.split(sep);
          const f = new FieldReader(capacity, sep);
          expect(f.read(line)).toBe(want.length);
          for (let i = -1; i <= capacity + 1; i++) {
            const located = i >= 0 && i < want.length && i < capacity;
            expect(f.has(i)).toBe(located);
            expect(f.text(i)).toBe(located ? want[i] : undefined);
            expect(f.is(i, word)).toBe(located && want[i] === word);
            if (located) expect(f.is(i, want[i] as string)).toBe(true);
            expect(f.number(i)).toEqual(located ? Number(want[i]) : Number.NaN);
          }
        },
      ),
      RUNS,
    );
  });

  it('numbers: digit runs of any length, signs, exponents, blanks', () => {
    const numeric = fc.oneof(
      fc.stringMatching(/^\d{1,20}$/),
      fc.stringMatching(/^[-+]?\d{0,3}(\.\d{0,3})?(e[-+]?\d{1,2})?$/),
      fc.constantFrom('', ' ', '0x1f', 'Infinity', '1_000', '٣'),
    );
    fc.assert(
      fc.property(fc.array(numeric, { minLength: 1, maxLength: 6 }), (fields) => {
        const f = new FieldReader(fields.length, ',');
        f.read(fields.join(','));
        for (const [i, text] of fields.entries()) expect(f.number(i)).toEqual(Number(text));
      }),
      RUNS,
    );
  });
});

describe('memo and memoByFirst return what make returns', () => {
  it('for any sequence of keys and any bound', () => {
    const part = fc.constantFrom('a', 'b', 'ab', '', 'a|b', '|');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(part, part, part, part), { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        (calls, max) => {
          const plain = (...k: string[]) => k.join('\u0000');
          const m = memo((k) => plain(k), max);
          const f = memoByFirst((a, b, c, d) => plain(a, b, c, d), max);
          for (const [a, b, c, d] of calls) {
            expect(m(a)).toBe(plain(a));
            expect(f(a, b, c, d)).toBe(plain(a, b, c, d));
            expect(f(a, b)).toBe(plain(a, b, '', ''));
          }
        },
      ),
      RUNS,
    );
  });
});

describe('MinHash sketch is the plain definition', () => {
  const B = 0x01000193n;
  const M = 2n ** 32n;
  const mix = (h: number) => {
    let x = h >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
  };
  /** Normalize (first 4096 units, lower case, whitespace runs one space, none leading), then 5-grams. */
  function reference(text: string): number[] {
    const codes: number[] = [];
    for (const unit of text.slice(0, 4096).split('')) {
      const c = unit.charCodeAt(0);
      const white = c === 32 || (c >= 9 && c <= 13) || c === 160;
      if (white) {
        if (codes.length && codes[codes.length - 1] !== 32) codes.push(32);
      } else codes.push(unit.toLowerCase().charCodeAt(0));
    }
    const poly = (cs: number[]) => Number(cs.reduce((h, c) => (h * B + BigInt(c)) % M, 0n));
    const hashes =
      codes.length < 5
        ? [poly(codes)]
        : Array.from({ length: codes.length - 4 }, (_, i) => poly(codes.slice(i, i + 5)));
    const EMPTY = 0xffffffff;
    const bins = new Array<number>(SKETCH_BINS).fill(EMPTY);
    for (const h of hashes.map(mix)) bins[h >>> 27] = Math.min(bins[h >>> 27] as number, h & 0x07ffffff);
    const placed = [...bins];
    return placed.map((v, i) => {
      if (v !== EMPTY) return v;
      for (let d = 1; d < SKETCH_BINS; d++) {
        const w = placed[(i + d) % SKETCH_BINS] as number;
        if (w !== EMPTY) return w + d * 0x08000000;
      }
      return EMPTY;
    });
  }

  it('on any text: ASCII, whitespace runs, accents, surrogates, long prompts', () => {
    const unit = fc.constantFrom(
      'a',
      'B',
      'z',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      'É',
      'ß',
      'İ',
      '😀',
      '1',
      '.',
      '\r',
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit, minLength: 4000, maxLength: 4200 })),
        (text) => {
          expect([...sketch(text)]).toEqual(reference(text));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the JSON array streams give JSON.parse(document).Records', () => {
  const record = fc.dictionary(
    fc.constantFrom('eventVersion', 'a', 'b}', '{c', '"', 'd\\', 'é'),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys: 5 },
  );
  /** The document cut into chunks at the given byte offsets. */
  const chunks = (doc: string, cuts: number[]) => {
    const bytes = Buffer.from(doc);
    const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
    const out: Buffer[] = [];
    let from = 0;
    for (const c of [...at, bytes.length]) {
      if (c > from) out.push(bytes.subarray(from, c));
      from = c;
    }
    return Readable.from(out);
  };

  it('elements as text, for compact and pretty documents, any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async (records, cuts, pretty) => {
          const doc = JSON.stringify({ Records: records }, null, pretty ? 2 : undefined);
          const got: unknown[] = [];
          let broken = 0;
          for await (const e of jsonArrayElements(chunks(doc, cuts))) {
            got.push(...e.elements.map((t) => JSON.parse(t)));
            broken += e.broken;
          }
          expect({ got, broken }).toEqual({ got: JSON.parse(doc).Records, broken: 0 });
        },
      ),
      RUNS,
    );
  });

  it('units (parsed where the successor is found), CloudTrail-shaped records', async () => {
    const trail = fc.record({
      eventVersion: fc.constantFrom('1.09', '},{"eventVersion":"x'),
      eventName: fc.string({ maxLength: 6 }),
      nested: fc.jsonValue({ maxDepth: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(trail, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (records, cuts) => {
          const doc = JSON.stringify({ Records: records });
          const got: unknown[] = [];
          for await (const { units, broken } of jsonArrayUnits(chunks(doc, cuts))) {
            expect(broken).toBe(0);
            got.push(...units.map((u) => (typeof u === 'string' ? JSON.parse(u) : u)));
          }
          expect(got).toEqual(JSON.parse(doc).Records);
        },
      ),
      RUNS,
    );
  });
});

describe('VPC flow log lines are split(" ") read by the header', () => {
  const OPTIONAL = [
    'version',
    'account-id',
    'interface-id',
    'srcport',
    'dstport',
    'protocol',
    'packets',
    'end',
    'action',
    'log-status',
    'flow-direction',
    'vpc-id',
    'traffic-path',
  ];
  const layoutArb = fc.tuple(fc.shuffledSubarray(OPTIONAL), fc.nat()).map(([optional, seed]) => {
    const names = [...optional];
    for (const [k, n] of ['srcaddr', 'dstaddr', 'bytes', 'start'].entries())
      names.splice((seed >> k) % (names.length + 1), 0, n);
    return names;
  });
  const values: Record<string, fc.Arbitrary<string>> = {
    version: fc.constantFrom('2', '5'),
    'account-id': fc.constantFrom('111122223333', '-'),
    'interface-id': fc.constantFrom(
      'eni-0a',
      'eni-0b',
      'eni-0f1e2d3c4b5a69788',
      'eni-0f1e2d3c4b5a69789',
      '-',
    ),
    srcaddr: fc.constantFrom('10.0.0.1', '198.51.100.9', '-'),
    dstaddr: fc.constantFrom('10.0.0.2', '203.0.113.7'),
    srcport: fc.constantFrom('443', '0', '-'),
    dstport: fc.constantFrom('50000', '-'),
    protocol: fc.constantFrom('6', '17', '-'),
    packets: fc.constantFrom('1', '-'),
    bytes: fc.constantFrom('0', '840', '123456789012', '-'),
    start: fc.constantFrom('1764064800', '-'),
    end: fc.constantFrom('1764064860'),
    action: fc.constantFrom('ACCEPT', 'REJECT', '-'),
    'log-status': fc.constantFrom('OK', 'NODATA', 'SKIPDATA', '-'),
    'flow-direction': fc.constantFrom('ingress', 'egress', '-'),
    'vpc-id': fc.constantFrom('vpc-1'),
    'traffic-path': fc.constantFrom('1', '8', '-'),
  };

  /** The plain reading: split, map names to values, the documented rules. */
  function reference(names: string[], line: string): FlowRecord[] | 'malformed' {
    const v = Object.fromEntries(line.split(' ').map((x, i) => [names[i], x === '-' ? undefined : x]));
    if ((v['log-status'] ?? 'OK') !== 'OK' || v.action === 'REJECT') return [];
    const bytes = Number(v.bytes ?? Number.NaN);
    const start = Number(v.start ?? Number.NaN);
    if (!v.srcaddr || !v.dstaddr || !Number.isFinite(bytes) || !Number.isFinite(start)) return 'malformed';
    const dir = v['flow-direction'];
    return [
      {
        kind: 'flow',
        cloud: 'aws',
        account: v['account-id'] ?? ACCOUNT,
        at: start * 1000,
        interfaceId: v['interface-id'],
        src: v.srcaddr,
        dst: v.dstaddr,
        srcPort: Number(v.srcport ?? 0),
        dstPort: Number(v.dstport ?? 0),
        protocol: Number(v.protocol ?? 0),
        bytes,
        direction: dir === 'egress' || dir === 'ingress' ? dir : undefined,
      },
    ];
  }

  it('any layout (14 fields or not, any order), any values', () => {
    const caseArb = layoutArb.chain((names) =>
      fc.tuple(
        fc.constant(names),
        fc.array(fc.tuple(...names.map((n) => values[n] as fc.Arbitrary<string>)), {
          minLength: 1,
          maxLength: 5,
        }),
      ),
    );
    fc.assert(
      fc.property(caseArb, ([names, rows]) => {
        const parse = FORMATS['vpc-flow'].open({ defaultAccount: ACCOUNT });
        expect(parse(names.join(' '))).toEqual([]);
        for (const row of rows) {
          const line = row.join(' ');
          const want = reference(names, line);
          if (want === 'malformed') expect(() => parse(line)).toThrow();
          else expect(parse(line)).toEqual(want);
        }
      }),
      RUNS,
    );
  });

  it('without a header, the default layout', () => {
    fc.assert(
      fc.property(fc.tuple(...DEFAULT_FIELDS.map((n) => values[n] ?? fc.constant('1'))), (row) => {
        const parse = FORMATS['vpc-flow'].open({ defaultAccount: ACCOUNT });
        const want = reference(DEFAULT_FIELDS, row.join(' '));
        if (want === 'malformed') expect(() => parse(row.join(' '))).toThrow();
        else expect(parse(row.join(' '))).toEqual(want);
      }),
      RUNS,
    );
  });
});

describe('S3 server access log lines are the documented fields, read by a regular expression', () => {
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const OPS: Record<string, ObjectAccess['op']> = {
    'REST.GET.OBJECT': 'read',
    'REST.PUT.OBJECT': 'write',
    'REST.POST.UPLOAD': 'write',
    'REST.COPY.OBJECT': 'copy',
    'REST.DELETE.OBJECT': 'delete',
    'BATCH.DELETE.OBJECT': 'delete',
  };
  /** Fields: `"quoted"`, `[bracketed]` or space-free, as the S3 User Guide describes the line. */
  function reference(line: string) {
    const f = [...line.matchAll(/"([^"]*)"|\[([^\]]*)\]|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    const op = OPS[f[6] ?? ''];
    if (!op || f[7] === '-' || !/^2\d\d$/.test(f[9] ?? '')) return [];
    const [, d, mon, y, h, mi, s, sign, oh, om] =
      /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(f[2] ?? '') ?? [];
    const offset = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
    const at =
      Date.UTC(Number(y), MONTHS.indexOf(mon ?? ''), Number(d), Number(h), Number(mi), Number(s)) - offset;
    const key = decodeURIComponent(f[7] ?? '');
    return [
      {
        op,
        bucket: f[1],
        at,
        ip: f[3],
        requester: f[4],
        key,
        bytes: f[11] === '-' ? 0 : Number(f[11]) || 0,
        sourceId: f[5],
      },
    ];
  }
  const token = (chars: string) =>
    fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength: 8 });
  const lineArb = fc
    .record({
      bucket: fc.constantFrom('models-prod', 'b'),
      day: fc.integer({ min: 1, max: 28 }),
      month: fc.integer({ min: 0, max: 11 }),
      year: fc.integer({ min: 2019, max: 2030 }),
      h: fc.integer({ min: 0, max: 23 }),
      sign: fc.constantFrom('+', '-'),
      off: fc.constantFrom('0000', '0530', '1200'),
      requester: fc.constantFrom('-', 'arn:aws:iam::111122223333:user/u', '79a59df900b949e5'),
      op: fc.constantFrom(
        ...Object.keys(OPS),
        'REST.GET.BUCKET',
        'REST.POST.MULTI_OBJECT_DELETE',
        'REST.HEAD.OBJECT',
      ),
      key: fc.oneof(
        fc.constant('-'),
        token('abz09/._-'),
        token('ab%20/').filter((k) => !/%(?![0-9A-F]{2})/.test(k)),
      ),
      status: fc.constantFrom('200', '204', '206', '304', '403', '2xx'),
      sent: fc.oneof(fc.constant('-'), fc.nat().map(String)),
      ua: fc.constantFrom('"aws-cli/2.15.0"', '"Mozilla/5.0 (X11) [x]"', '"-"'),
      rest: fc.constantFrom(
        ' -',
        ' - s9lzHY= SigV4 ECDHE AuthHeader models-prod.s3.amazonaws.com TLSv1.2 - -',
      ),
    })
    .map((r) => {
      const time = `${String(r.day).padStart(2, '0')}/${MONTHS[r.month]}/${r.year}:${String(r.h).padStart(2, '0')}:07:09 ${r.sign}${r.off}`;
      return `owner ${r.bucket} [${time}] 192.0.2.3 ${r.requester} REQ1 ${r.op} ${r.key} "GET /${r.bucket}/${r.key} HTTP/1.1" ${r.status} - ${r.sent} 10 7 - "-" ${r.ua}${r.rest}`;
    });

  it('operation, key, bucket, time, address, requester, bytes of any line', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), (lines) => {
        const parse = FORMATS['s3-access'].open({ defaultAccount: ACCOUNT });
        for (const line of lines) {
          const got = (parse(line) as ObjectAccess[]).map((r) => ({
            op: r.op,
            bucket: r.store.name,
            at: r.at,
            ip: r.network.ip,
            requester: r.principal.id.startsWith('canonical:')
              ? r.principal.id.slice(10)
              : r.principal.id === '192.0.2.3'
                ? '-'
                : r.principal.id,
            key: r.key,
            bytes: r.bytes,
            sourceId: r.sourceId,
          }));
          expect(got).toEqual(reference(line));
        }
      }),
      RUNS,
    );
  });

  it("the account: the requester ARN's (IAM or STS, twelve digits), else the log owner", () => {
    const requester = fc.oneof(
      fc.constantFrom(
        'arn:aws:iam::111122223333:user/u',
        'arn:aws:sts::444455556666:assumed-role/r/s',
        'arn:aws:iam::11112222333:user/u',
        'arn:aws:iam::1111222233334:user/u',
        'arn:aws:iam::111122223333',
        'arn:aws:iam::111122223333:',
        'arn:aws:s3:::models-prod',
        'arn:aws-cn:iam::111122223333:user/u',
        'ARN:aws:iam::111122223333:user/u',
        'arn:aws:iam::4444555566a6:user/u',
        'arn:aws:iam::44445555666a:user/u',
        'arn:aws:iam::a44455556666:user/u',
        'arn:aws:iam::444455556666x',
        'arn:aws:iam::444455556666/user/u',
        'arn:aws:iam:111122223333:user/u',
        '79a59df900b949e5',
        '-',
      ),
      fc
        .tuple(fc.constantFrom('arn:aws:', 'arn:aws:iam::', 'arn:aws:sts::'), token('0123456789:ai'))
        .map(([a, b]) => a + b),
    );
    const arn = /^arn:aws:(?:iam|sts)::(\d{12}):/;
    fc.assert(
      fc.property(
        lineArb,
        requester,
        fc.constantFrom('models-prod', 'models-pro', 'models-prodx', 'models-pxod'),
        (line, who, bucket) => {
          const f = line.split(' ');
          f[1] = bucket;
          f[5] = who;
          const parse = FORMATS['s3-access'].open({ defaultAccount: ACCOUNT });
          const text = f.join(' ');
          const got = (parse(text) as ObjectAccess[]).map((r) => [r.account, r.store.name]);
          const want = reference(text).map(() => [arn.exec(who)?.[1] ?? ACCOUNT, bucket]);
          expect(got).toEqual(want);
        },
      ),
      // Most lines are not object operations: enough runs that every requester reaches the parser.
      { numRuns: 1000 },
    );
  });
});

describe('Azure flow log tuples are split(",") of each tuple in JSON.parse(record)', () => {
  const SUB = 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e';
  const target = `/subscriptions/${SUB}/resourceGroups/llm-rg/providers/Microsoft.Network/virtualNetworks/llm-vnet`;
  const nsg = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/LLM-RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG`;
  const count = fc.oneof(fc.constant(''), fc.nat({ max: 10 ** 12 }).map(String));
  const tupleArb = fc
    .record({
      time: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
      src: fc.constantFrom('10.30.1.15', '203.0.113.9', 'fd00::1'),
      dst: fc.constantFrom('192.0.2.180', '10.30.1.15'),
      sport: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 65535 }).map(String)),
      dport: fc.integer({ min: 0, max: 65535 }).map(String),
      proto: fc.constantFrom('T', 'U', '6', '17', '1'),
      dir: fc.constantFrom('I', 'O'),
      state: fc.constantFrom('B', 'C', 'E', 'D'),
      middle: fc.constantFrom('A', 'D', 'NX', 'X'),
      counts: fc.tuple(count, count, count, count),
    })
    .map((t) => [t.time, t.src, t.dst, t.sport, t.dport, t.proto, t.dir, t.state, t.middle, ...t.counts]);
  /** The plain reading of one tuple, by the documented field order. */
  function reference(fields: (string | number)[], v4: boolean, account: string, id: string): FlowRecord {
    const f = fields.map(String);
    const proto = f[5] as string;
    return {
      kind: 'flow',
      cloud: 'azure',
      account,
      at: Number(f[0]) * (v4 ? 1 : 1000),
      interfaceId: id,
      src: f[1] as string,
      dst: f[2] as string,
      srcPort: Number(f[3]) || 0,
      dstPort: Number(f[4]) || 0,
      protocol: proto === 'T' ? 6 : proto === 'U' ? 17 : Number(proto) || 0,
      bytes: Number(f[10]) || 0,
      reverseBytes: Number(f[12]) || 0,
      direction: f[6] === 'O' ? 'egress' : 'ingress',
    };
  }

  it('VNet v4 and NSG v2 records, any tuples and groups', () => {
    const groups = fc.array(fc.array(tupleArb, { maxLength: 4 }), { maxLength: 3 });
    fc.assert(
      fc.property(groups, fc.boolean(), (gs, v4) => {
        const tuples = gs.map((g) => g.map((t) => t.join(',')));
        const record = v4
          ? {
              flowLogVersion: 4,
              targetResourceID: target,
              flowRecords: { flows: [{ flowGroups: tuples.map((flowTuples) => ({ flowTuples })) }] },
            }
          : {
              resourceId: nsg,
              properties: { Version: 2, flows: [{ flows: tuples.map((flowTuples) => ({ flowTuples })) }] },
            };
        const parse = FORMATS['azure-flow'].open({});
        const parsed = JSON.parse(JSON.stringify(record));
        const id = v4 ? target : nsg;
        const want = gs.flat().map((t) => reference(t, v4, SUB, id));
        expect(parse(JSON.stringify(parsed))).toEqual(want);
        expect(FORMATS['azure-flow'].openValue?.({})(parsed)).toEqual(want);
      }),
      RUNS,
    );
  });
});

describe('addAll is one add per key of the summed items', () => {
  /** The plain merge: items grouped by key in first-seen order, deltas summed, latest expiry. */
  function reference(items: readonly WindowAdd[]) {
    const keys = [...new Set(items.map((i) => i.key))];
    return keys.map((key) => {
      const same = items.filter((i) => i.key === key);
      const deltas: Record<string, number> = {};
      for (const i of same) for (const [n, v] of Object.entries(i.deltas)) deltas[n] = (deltas[n] ?? 0) + v;
      return { key, deltas, expiresAt: Math.max(...same.map((i) => i.expiresAt.getTime())) };
    });
  }
  const itemArb = fc.record({
    key: fc.constantFrom('a', 'b', 'c|1', 'd'),
    deltas: fc.dictionary(fc.constantFrom('n', 'bytes', 'b3', 'b17'), fc.integer({ min: -5, max: 9 }), {
      maxKeys: 3,
    }),
    expiresAt: fc.integer({ min: 0, max: 5 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d))),
  });

  it('what the store receives and what each item gets back, batched or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 30 }), fc.boolean(), async (items, batched) => {
        const frozen = JSON.stringify(items);
        const store = memoryWindowStore();
        const received: { key: string; deltas: Record<string, number>; expiresAt: number }[] = [];
        const seen = (i: WindowAdd) =>
          received.push({ ...i, deltas: { ...i.deltas }, expiresAt: i.expiresAt.getTime() });
        const add: WindowStore['add'] = (key, deltas, expiresAt) => {
          seen({ key, deltas, expiresAt });
          return store.add(key, deltas, expiresAt);
        };
        const recording: WindowStore = batched
          ? { ...store, addMany: (all) => Promise.all(all.map((i) => add(i.key, i.deltas, i.expiresAt))) }
          : { ...store, add };
        const totals = await addAll(recording, items);
        const want = reference(items);
        expect(received).toEqual(want);
        const byKey = new Map(want.map((w) => [w.key, w.deltas]));
        expect(totals).toEqual(items.map((i) => byKey.get(i.key)));
        // The callers' items are never changed.
        expect(JSON.stringify(items)).toBe(frozen);
      }),
      RUNS,
    );
  });
});

describe('NameTally counts as the plain per-record tally', () => {
  /** One keyed count per record; names without room under `(others)`. */
  function tally(counts: Record<string, number>, name: string, max: number): void {
    const n = counts[name];
    if (n !== undefined) counts[name] = n + 1;
    else if (counts['(others)'] === undefined && Object.keys(counts).length < max) counts[name] = 1;
    else counts['(others)'] = (counts['(others)'] ?? 0) + 1;
  }

  it('for any names in runs, any bound, read at any point', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd', 'e', '(others)', '111122223333', '7', '');
    const run = fc.tuple(name, fc.integer({ min: 1, max: 4 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(run, { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (runs, max) => {
        const want: Record<string, number> = {};
        const t = new NameTally(max);
        for (const [n, times, read] of runs) {
          for (let i = 0; i < times; i++) {
            // A fresh string each time, as cut from a line.
            const text = `${n}!`.slice(0, -1);
            tally(want, text, max);
            t.add(text);
          }
          if (read) expect(t.counts()).toEqual(want);
        }
        expect(t.counts()).toEqual(want);
      }),
      RUNS,
    );
  });
});

describe('windowedEntries is a map by id|detail|window that spills the oldest', () => {
  /** The plain form: one map by the joined key, spilling in opening order. */
  function reference(max: number) {
    let open = new Map<string, { window: number; detail?: string }>();
    let spilled: { window: number; detail?: string }[] = [];
    return {
      get: (id: string, window: number, detail = '') => open.get(`${id}|${detail}|${window}`),
      add: (id: string, e: { window: number; detail?: string }) => {
        if (open.size >= max) {
          const [key, oldest] = open.entries().next().value as [string, { window: number }];
          open.delete(key);
          spilled.push(oldest);
        }
        open.set(`${id}|${e.detail ?? ''}|${e.window}`, e);
        return e;
      },
      spilled: () => {
        const batch = spilled;
        spilled = [];
        return batch;
      },
      take: () => {
        const batch = [...spilled, ...open.values()];
        spilled = [];
        open = new Map();
        return batch;
      },
    };
  }
  const op = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(
        fc.constant('use' as const),
        fc.constantFrom('a', 'b', 'a|b', ''),
        fc.integer({ min: -1, max: 3 }),
        fc.constantFrom(undefined, '', 'x', 'b|'),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constant('spilled' as const)) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('take' as const)) },
  );

  it('the same entries found, spilled and taken for any uses (get, then add on a miss)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (ops, max) => {
        const fast = windowedEntries<{ window: number; detail?: string; n: number }>(max);
        const plain = reference(max);
        const made = new Map<object, object>();
        let n = 0;
        for (const [kind, id, w, detail] of ops) {
          if (kind === 'spilled') {
            expect(fast.spilled().map((e) => made.get(e))).toEqual(plain.spilled());
            continue;
          }
          if (kind === 'take') {
            expect(fast.take().map((e) => made.get(e))).toEqual(plain.take());
            continue;
          }
          const window = 1_764_064_800_000 + (w as number) * 300_000;
          const got = fast.get(id as string, window, detail);
          const want = plain.get(id as string, window, detail);
          expect(got === undefined ? undefined : made.get(got)).toBe(want);
          if (got === undefined) {
            const e = { window, ...(detail === undefined ? {} : { detail }), n: n++ };
            const twin = { window, ...(detail === undefined ? {} : { detail }) };
            made.set(fast.add(id as string, e), twin);
            plain.add(id as string, twin);
          }
        }
        expect(fast.take().map((e) => made.get(e))).toEqual(plain.take());
      }),
      RUNS,
    );
  });
});
