import type { PrincipalRef } from '../../alert.ts';
import { memo } from '../memo.ts';
import { ipPrincipal } from '../principals.ts';
import type { ObjectAccess } from '../records.ts';
import { arnPrincipal } from './aws-identity.ts';
import { type LogFormat, malformed } from './log-format.ts';
import { s3Store } from './s3-store.ts';

const OPS: Record<string, ObjectAccess['op']> = {
  'REST.GET.OBJECT': 'read',
  'REST.PUT.OBJECT': 'write',
  'REST.POST.UPLOAD': 'write',
  'REST.COPY.OBJECT': 'copy',
  'REST.DELETE.OBJECT': 'delete',
};
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

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
  documentation: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html',
  open: (ctx) => (line) => {
    const f = fields(line);
    if (f.length < 18) malformed(`${f.length} fields, an access log line has at least 18`);
    const [
      ,
      bucket = '',
      when = '',
      ip = '',
      requester = '',
      requestId = '',
      operation = '',
      rawKey = '',
      ,
      status = '',
      ,
      sent = '',
    ] = f;
    const op = OPS[operation];
    if (!op || rawKey === '-' || !/^2\d\d$/.test(status)) return [];
    const key = decodeURIComponent(rawKey);
    const account =
      ctx.defaultAccount ?? arnAccount(requester) ?? malformed('no account: pass the log owner account');
    const principal =
      requester === '-'
        ? ipPrincipal(ip, account)
        : (arnPrincipal(requester) ?? canonicalPrincipal(`${requester}|${account}`));
    const record: ObjectAccess = {
      kind: 'object-access',
      op,
      cloud: 'aws',
      account,
      at: accessLogTime(when),
      principal,
      store: s3Store(bucket),
      key,
      objectId: `s3://${bucket}/${key}`,
      bytes: sent === '-' ? 0 : Number(sent) || 0,
      network: { ip },
      sourceId: requestId,
    };
    return [record];
  },
};

/** Splits on spaces, keeping `"quoted strings"` and `[bracketed times]` whole (without delimiters). */
export function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ') {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : ' ';
    const from = close === ' ' ? i : i + 1;
    let end = line.indexOf(close, from);
    if (end === -1) {
      if (close !== ' ') malformed(`unterminated ${c}`);
      end = line.length;
    }
    out.push(line.slice(from, end));
    i = end + 1;
  }
  return out;
}

let lastTime = '';
let lastMs = 0;

/** `06/Feb/2019:00:00:38 +0000` → epoch ms (consecutive lines share their second: the last is kept). */
export function accessLogTime(text: string): number {
  if (text === lastTime) return lastMs;
  lastMs = parseAccessLogTime(text);
  lastTime = text;
  return lastMs;
}

function parseAccessLogTime(text: string): number {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  const month = m ? MONTHS.indexOf(m[2] ?? '') / 3 : -1;
  if (!m || month < 0 || !Number.isInteger(month)) malformed(`not an access log time: ${text}`);
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
}

/** A canonical user id names an account's identity without saying which: never certain. */
const canonicalPrincipal = memo((key): PrincipalRef => {
  const [id = '', account = ''] = key.split('|');
  return { id: `canonical:${id}`, kind: 'unknown', account, aliases: [], certain: false };
});

function arnAccount(requester: string): string | undefined {
  return /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(requester)?.[1];
}
