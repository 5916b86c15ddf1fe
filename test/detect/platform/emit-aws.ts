/**
 * AWS log lines in the documented formats (the shapes of test/fixtures/logs/, which cite the docs):
 * CloudTrail S3 data events, S3 server access log lines, VPC flow logs (default v2 and a custom
 * layout with `flow-direction`), Bedrock model invocation logs.
 */
import { ACCOUNT } from '../detect-config.ts';

/** Who made a request, as CloudTrail's `userIdentity` and the access log's requester show it. */
export type AwsIdentity =
  | {
      type: 'role';
      role: string;
      session: string;
      /** The AWS service that made the call with the role (CloudTrail `invokedBy`, e.g. `backup.amazonaws.com`). */
      invokedBy?: string;
    }
  | { type: 'user'; user: string }
  | { type: 'anonymous' };

export const roleArn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;
export const sessionArn = (role: string, session: string) =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`;
export const userArn = (user: string) => `arn:aws:iam::${ACCOUNT}:user/${user}`;

/** A stable pseudo id (`AROA…`, request ids) from a name. */
export function idOf(prefix: string, name: string, length = 17): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  while (out.length < length) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    out += h.toString(36).toUpperCase();
  }
  return prefix + out.slice(0, length);
}

function userIdentity(who: AwsIdentity, at: number) {
  if (who.type === 'anonymous') return { type: 'AWSAccount', principalId: '', accountId: 'anonymous' };
  if (who.type === 'user')
    return {
      type: 'IAMUser',
      principalId: idOf('AIDA', who.user),
      arn: userArn(who.user),
      accountId: ACCOUNT,
      accessKeyId: idOf('AKIA', who.user, 16),
      userName: who.user,
    };
  const roleId = idOf('AROA', who.role);
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${who.session}`,
    arn: sessionArn(who.role, who.session),
    accountId: ACCOUNT,
    accessKeyId: idOf('ASIA', `${who.role}/${who.session}`, 16),
    ...(who.invokedBy ? { invokedBy: who.invokedBy } : {}),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: roleArn(who.role),
        accountId: ACCOUNT,
        userName: who.role,
      },
      attributes: { creationDate: iso(at - 600_000), mfaAuthenticated: 'false' },
    },
  };
}

export const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface S3Request {
  at: number;
  who: AwsIdentity;
  op: 'GetObject' | 'PutObject' | 'CompleteMultipartUpload' | 'CopyObject' | 'DeleteObject' | 'DeleteObjects';
  bucket: string;
  /** The key; for DeleteObjects the keys of the one request. */
  keys: string[];
  bytes: number;
  ip: string;
  vpce?: string;
  copySource?: string;
  userAgent?: string;
  /** Throttled or denied: CloudTrail keeps the event with `errorCode`, the access log with the status. */
  error?: 'SlowDown' | 'AccessDenied';
  n: number;
}

/** One CloudTrail S3 data event (S3 User Guide, "CloudTrail log file entries for Amazon S3"). */
export function cloudTrailEvent(r: S3Request): Record<string, unknown> {
  const [key = ''] = r.keys;
  const read = r.op === 'GetObject';
  const requestParameters: Record<string, unknown> =
    r.op === 'DeleteObjects'
      ? { bucketName: r.bucket, Host: `${r.bucket}.s3.us-east-1.amazonaws.com`, delete: '' }
      : { bucketName: r.bucket, Host: `${r.bucket}.s3.us-east-1.amazonaws.com`, key };
  if (r.copySource) requestParameters['x-amz-copy-source'] = r.copySource;
  return {
    eventVersion: '1.09',
    userIdentity: userIdentity(r.who, r.at),
    eventTime: iso(r.at),
    eventSource: 's3.amazonaws.com',
    eventName: r.op,
    awsRegion: 'us-east-1',
    sourceIPAddress: r.ip,
    userAgent: r.userAgent ?? '[Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux]',
    ...(r.error
      ? {
          errorCode: r.error,
          errorMessage: r.error === 'SlowDown' ? 'Please reduce your request rate.' : 'Access Denied',
        }
      : {}),
    requestParameters,
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: read ? 0 : r.bytes,
      AuthenticationMethod: r.who.type === 'anonymous' ? undefined : 'AuthHeader',
      'x-amz-id-2': idOf('', `id2-${r.n}`, 24),
      bytesTransferredOut: read ? r.bytes : 0,
    },
    requestID: idOf('', `req-${r.n}`, 16),
    eventID: `${idOf('', `ev-${r.n}`, 8).toLowerCase()}-0000-4000-8000-${String(r.n).padStart(12, '0')}`,
    readOnly: read,
    // DeleteObjects events name no keys (up to 1,000 would not fit a CloudTrail event).
    resources: [
      ...(r.op === 'DeleteObjects'
        ? []
        : r.keys.map((k) => ({ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${r.bucket}/${k}` }))),
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${r.bucket}` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    ...(r.vpce ? { vpcEndpointId: r.vpce, vpcEndpointAccountId: ACCOUNT } : {}),
    eventCategory: 'Data',
  };
}

export function cloudTrailFile(events: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ Records: events });
}

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function accessTime(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
}

/**
 * S3 server access log lines (S3 User Guide, "Amazon S3 server access log format"). A DeleteObjects
 * call writes one `REST.POST.MULTI_OBJECT_DELETE` line and one `BATCH.DELETE.OBJECT` line per key.
 */
export function accessLogLines(r: S3Request): string[] {
  const requester =
    r.who.type === 'anonymous'
      ? '-'
      : r.who.type === 'user'
        ? userArn(r.who.user)
        : sessionArn(r.who.role, r.who.session);
  const reqId = idOf('', `req-${r.n}`, 16);
  const ua = `"${r.userAgent ?? 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux'}"`;
  const tail = `${idOf('', `id2-${r.n}`, 56)}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 ${r.who.type === 'anonymous' ? '-' : 'AuthHeader'} ${r.bucket}.s3.us-east-1.amazonaws.com TLSv1.3 - -`;
  const head = `${OWNER} ${r.bucket} ${accessTime(r.at)} ${r.ip} ${requester} ${reqId}`;
  const status =
    r.error === 'SlowDown' ? '503 SlowDown' : r.error === 'AccessDenied' ? '403 AccessDenied' : undefined;
  if (r.op === 'DeleteObjects') {
    const uri = `"POST /${r.bucket}?delete HTTP/1.1"`;
    return [
      `${head} REST.POST.MULTI_OBJECT_DELETE - ${uri} ${status ?? '200 -'} 1024 - 180 - "-" ${ua} - ${tail}`,
      ...(status
        ? []
        : r.keys.map(
            (k) =>
              // One line per key, with no request URI, referrer or user agent (as captured in the wild).
              `${head} BATCH.DELETE.OBJECT ${encodeURI(k)} - 204 - - ${r.bytes} - - - - - ${tail}`,
          )),
    ];
  }
  const key = encodeURI(r.keys[0] ?? '');
  const verb = {
    GetObject: 'GET',
    PutObject: 'PUT',
    CompleteMultipartUpload: 'POST',
    CopyObject: 'PUT',
    DeleteObject: 'DELETE',
  }[r.op];
  const op = {
    GetObject: 'REST.GET.OBJECT',
    PutObject: 'REST.PUT.OBJECT',
    CompleteMultipartUpload: 'REST.POST.UPLOAD',
    CopyObject: 'REST.COPY.OBJECT',
    DeleteObject: 'REST.DELETE.OBJECT',
  }[r.op];
  const sent = r.op === 'GetObject' && !status ? String(r.bytes) : '-';
  const size = r.op === 'DeleteObject' ? '-' : String(r.bytes);
  const ok = r.op === 'DeleteObject' ? '204 -' : '200 -';
  const turnaround = Math.max(1, Math.round(r.bytes / 200_000_000));
  return [
    `${head} ${op} ${key} "${verb} /${r.bucket}/${key} HTTP/1.1" ${status ?? ok} ${sent} ${size} ${turnaround * 1000 + 12} ${turnaround * 10} "-" ${ua} - ${tail}`,
  ];
}

export interface Flow {
  at: number;
  eni: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  bytes: number;
  direction: 'ingress' | 'egress';
}

export const VPC_CUSTOM_HEADER =
  'version account-id vpc-id subnet-id interface-id srcaddr dstaddr srcport dstport protocol bytes packets start end action log-status flow-direction pkt-srcaddr pkt-dstaddr';

/** A custom-format flow log line (v5 fields, header above). */
export function vpcCustomLine(f: Flow): string {
  const start = Math.floor(f.at / 1000);
  const packets = Math.max(1, Math.ceil(f.bytes / 1400));
  return `5 ${ACCOUNT} vpc-0a1b2c3d subnet-0a1b2c3d ${f.eni} ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} 6 ${f.bytes} ${packets} ${start} ${start + 60} ACCEPT OK ${f.direction} ${f.src} ${f.dst}`;
}

export const VPC_DEFAULT_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** A default-format (v2) flow log line. */
export function vpcDefaultLine(f: Flow): string {
  const start = Math.floor(f.at / 1000);
  const packets = Math.max(1, Math.ceil(f.bytes / 1400));
  return `2 ${ACCOUNT} ${f.eni} ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} 6 ${packets} ${f.bytes} ${start} ${start + 60} ACCEPT OK`;
}

export interface Invocation {
  at: number;
  /** identity.arn: the assumed-role session of the caller. */
  arn: string;
  n: number;
  modelId: string;
  system?: string;
  prompt: string;
  response: string;
  converse: boolean;
  /** Sampling parameters the caller sent (defaults 0.2 and 0.9): load tests sweep them. */
  temperature?: number;
  topP?: number;
}

const tokens = (text: string) => Math.max(1, Math.round(text.length / 4));

/** A Bedrock model invocation log record (Bedrock User Guide, "Monitor model invocation"). */
export function bedrockLine(v: Invocation): string {
  const inputTokens = tokens((v.system ?? '') + v.prompt);
  const outputTokens = tokens(v.response);
  const input = v.converse
    ? {
        inputContentType: 'application/json',
        inputBodyJson: {
          ...(v.system ? { system: [{ text: v.system }] } : {}),
          messages: [{ role: 'user', content: [{ text: v.prompt }] }],
          inferenceConfig: {
            maxTokens: 1024,
            temperature: v.temperature ?? 0.2,
            ...(v.topP === undefined ? {} : { topP: v.topP }),
          },
        },
        inputTokenCount: inputTokens,
      }
    : {
        inputContentType: 'application/json',
        inputBodyJson: {
          prompt: v.system ? `${v.system}\n\n${v.prompt}` : v.prompt,
          temperature: v.temperature ?? 0.2,
          max_gen_len: 1024,
          top_p: v.topP ?? 0.9,
        },
        inputTokenCount: inputTokens,
      };
  const output = v.converse
    ? {
        outputContentType: 'application/json',
        outputBodyJson: {
          output: { message: { role: 'assistant', content: [{ text: v.response }] } },
          stopReason: 'end_turn',
          usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        },
        outputTokenCount: outputTokens,
      }
    : {
        outputContentType: 'application/json',
        outputBodyJson: {
          generation: v.response,
          prompt_token_count: inputTokens,
          generation_token_count: outputTokens,
          stop_reason: 'stop',
        },
        outputTokenCount: outputTokens,
      };
  return JSON.stringify({
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: iso(v.at),
    accountId: ACCOUNT,
    identity: { arn: v.arn },
    region: 'us-east-1',
    requestId: `${idOf('', `b-${v.n}`, 8).toLowerCase()}-0001-4d2e-9f10-${String(v.n).padStart(12, '0')}`,
    operation: v.converse ? 'Converse' : 'InvokeModel',
    modelId: v.modelId,
    input,
    output,
  });
}
