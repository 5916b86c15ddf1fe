import type { PrincipalRef } from '../../../core/alert.ts';
import { type LogFormat, malformed } from '../../../core/detect/formats/log-format.ts';
import { memo, scoped } from '../../../core/detect/memo.ts';
import { ipPrincipal } from '../../../core/detect/principals.ts';
import type { ObjectAccess } from '../../../core/detect/records.ts';
import { accessLogTime } from './access-log-time.ts';
import { arnPrincipal } from './aws-identity.ts';
import { s3ObjectId, s3Store } from './s3-store.ts';

const OPS: Record<string, ObjectAccess['op']> = {
  'REST.GET.OBJECT': 'read',
  'REST.PUT.OBJECT': 'write',
  'REST.POST.UPLOAD': 'write',
  'REST.COPY.OBJECT': 'copy',
  'REST.DELETE.OBJECT': 'delete',
  // DeleteObjects: one `REST.POST.MULTI_OBJECT_DELETE` line for the request (key `-`, skipped),
  // then one `BATCH.DELETE.OBJECT` line per key it deleted, each an object delete.
  'BATCH.DELETE.OBJECT': 'delete',
};
const OP_NAMES = Object.entries(OPS);

/**
 * S3 server access log lines (S3 User Guide, "Amazon S3 server access log format"): space
 * separated, `[time]` in brackets, request URI, referrer and user agent in quotes, `-` for none.
 * Field order: bucket owner, bucket, time, remote IP, requester, request id, operation, key,
 * request URI, status, error code, bytes sent, object size, … The requester is an IAM ARN for IAM
 * identities, a canonical user id otherwise, `-` when anonymous.
 */
export const s3AccessLogFormat: LogFormat = {
  name: 's3-access',
  cloud: 'aws',
  framing: 'lines',
  sniff: ({ firstLine }) => /^\S+ \S+ \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /.test(firstLine),
  documentation: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html',
  open: (ctx) => (line) => {
    const count = fieldOffsets(line);
    if (count < MIN_FIELDS) malformed(`${count} fields, an access log line has at least ${MIN_FIELDS}`);
    const op = operation(line);
    if (!op || isDash(line, KEY) || !isSuccess(line)) return NONE;
    // A file holds one bucket's log: the bucket text (and its cached hash) is reused.
    const last = lastBucket();
    if (!sameText(line, BUCKET, last.text)) last.text = field(line, BUCKET);
    const bucket = last.text;
    const ip = field(line, IP);
    const requester = field(line, REQUESTER);
    const rawKey = field(line, KEY);
    // Most keys need no decoding: decodeURIComponent only ever changes %XX sequences.
    const key = rawKey.includes('%') ? decodeURIComponent(rawKey) : rawKey;
    const account =
      // The requester ARN's own account when it names one; --account only for lines that name none.
      arnAccount(requester) ?? ctx.defaultAccount ?? malformed('no account: pass the log owner account');
    const principal =
      requester === '-'
        ? ipPrincipal(ip, account)
        : (arnPrincipal(requester) ?? canonicalPrincipal(`${requester}|${account}`));
    const record: ObjectAccess = {
      kind: 'object-access',
      op,
      cloud: 'aws',
      account,
      at: accessLogTime(line, starts[TIME] as number, ends[TIME] as number),
      principal,
      store: s3Store(bucket),
      key,
      objectId: s3ObjectId(key, bucket),
      bytes: isDash(line, SENT) ? 0 : Number(field(line, SENT)) || 0,
      network: { ip },
      sourceId: field(line, REQUEST_ID),
    };
    // Requester `-`: an unauthenticated request (S3 server access log format, "Requester").
    if (requester === '-') record.anonymous = true;
    return [record];
  },
};

const NONE: ObjectAccess[] = Object.freeze([]) as unknown as ObjectAccess[];
const lastBucket = scoped(() => ({ text: '' }));
const MIN_FIELDS = 18;
const [BUCKET, TIME, IP, REQUESTER, REQUEST_ID, OPERATION, KEY, STATUS, SENT] = [1, 2, 3, 4, 5, 6, 7, 9, 11];
/** Where the fields of the current line start and end (those a line must have). */
const starts = new Int32Array(MIN_FIELDS);
const ends = new Int32Array(MIN_FIELDS);

/**
 * Finds the fields of a line as the format defines them: space separated, `"quoted strings"` and
 * `[bracketed times]` whole (offsets without delimiters). Returns how many there are and keeps
 * where the first ones are, so only the fields a rule reads are ever cut out.
 */
function fieldOffsets(line: string): number {
  let count = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    // Past the fields a line must have, the others only count when one is an unterminated quote
    // or bracket (a malformed line): a rest without either cannot hold one.
    if (count >= MIN_FIELDS && line.indexOf('"', i) === -1 && line.indexOf('[', i) === -1) return count;
    const close = c === 34 ? '"' : c === 91 ? ']' : ' ';
    const from = close === ' ' ? i : i + 1;
    let end = line.indexOf(close, from);
    if (end === -1) {
      if (close !== ' ') malformed(`unterminated ${line[i]}`);
      end = line.length;
    }
    if (count < starts.length) {
      starts[count] = from;
      ends[count] = end;
    }
    count++;
    i = end + 1;
  }
  return count;
}

const field = (line: string, n: number) => line.slice(starts[n], ends[n]);
/** Is field `n` exactly `text`? Compared in place (`startsWith` at an offset is not inlined). */
function sameText(line: string, n: number, text: string): boolean {
  const from = starts[n] as number;
  if ((ends[n] as number) - from !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (line.charCodeAt(from + i) !== text.charCodeAt(i)) return false;
  return true;
}

/** The operation's kind, read in place for the object operations (no key text to look up). */
function operation(line: string): ObjectAccess['op'] | undefined {
  for (const [name, op] of OP_NAMES) if (sameText(line, OPERATION, name)) return op as ObjectAccess['op'];
  return OPS[field(line, OPERATION)];
}
const isDash = (line: string, n: number) =>
  ends[n] === (starts[n] as number) + 1 && line.charCodeAt(starts[n] as number) === 45;

/** A 2xx status (three characters, `2` then two digits). */
function isSuccess(line: string): boolean {
  const at = starts[STATUS] as number;
  if (ends[STATUS] !== at + 3 || line.charCodeAt(at) !== 50) return false;
  return isDigit(line.charCodeAt(at + 1)) && isDigit(line.charCodeAt(at + 2));
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A canonical user id names an account's identity without saying which: never certain. */
const canonicalPrincipal = memo((key): PrincipalRef => {
  const [id = '', account = ''] = key.split('|');
  return { id: `canonical:${id}`, kind: 'unknown', account, aliases: [], certain: false };
});

/**
 * The account of an IAM or STS requester ARN: `/^arn:aws:(?:iam|sts)::(\d{12}):/`, read in place
 * (the expression ran on every line).
 */
export function arnAccount(requester: string): string | undefined {
  if (requester.length < 26 || !startsAt(requester, 0, 'arn:aws:') || !startsAt(requester, 11, '::'))
    return undefined;
  if (!startsAt(requester, 8, 'iam') && !startsAt(requester, 8, 'sts')) return undefined;
  for (let i = 13; i < 25; i++) if (!isDigit(requester.charCodeAt(i))) return undefined;
  return requester.charCodeAt(25) === 58 ? requester.slice(13, 25) : undefined;
}

function startsAt(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}
