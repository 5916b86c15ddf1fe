import type { Cloud, PrincipalRef } from '../../alert.ts';
import type { CloudPack } from '../../cloud-pack.ts';
import { memo, memoByFirst } from '../memo.ts';
import { ipPrincipal, isIpLike } from '../principals.ts';
import type { InferenceRecord } from '../records.ts';
import { type LogFormat, malformed, num, parseObject, str, time } from './log-format.ts';

/**
 * Tourniquet's generic inference log (docs/detection.md, "Generic inference log"): one JSON object
 * per line, written by any gateway in front of a model. A caller is whatever identity a pack
 * recognizes (an IAM ARN, an Entra object id), else an address or an API key name.
 *
 * @example
 * {"time":"2026-11-25T10:00:00Z","cloud":"aws","account":"111122223333","caller":"arn:aws:sts::111122223333:assumed-role/app/s1",
 *  "endpoint":"chat-prod","prompt":"…","response":"…","inputTokens":12,"outputTokens":40,"requestId":"r-1"}
 */
export function genericInferenceFormat(packs: readonly CloudPack[]): LogFormat {
  return {
    name: 'inference-jsonl',
    cloud: 'aws',
    framing: 'lines',
    documentation: 'docs/detection.md#generic-inference-log',
    sniff: ({ firstObject: line }) => typeof line?.caller === 'string' && typeof line.endpoint === 'string',
    open: (ctx) => {
      const callerOfLine = callerReader(packs);
      return (line) => parseLine(line, ctx.defaultAccount, callerOfLine);
    },
  };
}

function parseLine(
  line: string,
  defaultAccount: string | undefined,
  callerOfLine: (caller: string, type: string, account: string, tenant: string) => PrincipalRef,
): InferenceRecord[] {
  const e = parseObject(line);
  const cloud = (str(e.cloud) ?? 'aws') as Cloud;
  if (cloud !== 'aws' && cloud !== 'azure') malformed(`cloud must be aws or azure, not ${cloud}`);
  const account = str(e.account) ?? defaultAccount ?? malformed('no account');
  const callerText = str(e.caller) ?? malformed('no caller');
  const endpoint = str(e.endpoint) ?? malformed('no endpoint');
  const prompt = str(e.prompt);
  const response = str(e.response);
  const inputTokens = num(e.inputTokens);
  const outputTokens = num(e.outputTokens);
  const record: InferenceRecord = {
    kind: 'inference',
    cloud,
    account,
    region: str(e.region),
    at: time(e.time),
    caller: callerOfLine(callerText, str(e.callerType) ?? '', account, str(e.tenant) ?? ''),
    endpoint,
    prompt: prompt,
    response: response,
    inputTokens: inputTokens !== undefined ? inputTokens : undefined,
    outputTokens: outputTokens !== undefined ? outputTokens : undefined,
    sourceId: str(e.requestId) ?? '',
  };
  return [record];
}

/** Callers by their text, type, account and tenant, memoized for one file (one `open`). */
function callerReader(packs: readonly CloudPack[]) {
  const callers = memo((key) => {
    const [caller = '', type = '', account = '', tenant = ''] = key.split('|');
    return callerOf(packs, caller, type || undefined, account, tenant || undefined);
  });
  return memoByFirst((caller, type, account, tenant) => callers(`${caller}|${type}|${account}|${tenant}`));
}

/** Pack identities are identities; addresses and API key names are not (`certain: false`). */
function callerOf(
  packs: readonly CloudPack[],
  caller: string,
  type: string | undefined,
  account: string,
  tenant: string | undefined,
): PrincipalRef {
  for (const pack of packs) {
    const known = pack.callerPrincipal(caller, {
      account,
      ...(tenant ? { tenant } : {}),
      ...(type ? { type } : {}),
    });
    if (known) return known;
  }
  if (isIpLike(caller)) return ipPrincipal(caller, account);
  return { id: `key:${caller}`, kind: 'unknown', account, aliases: [], certain: false };
}
