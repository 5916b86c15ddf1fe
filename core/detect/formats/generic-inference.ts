import { arnPrincipal, isIpLike } from '../../../packs/aws/formats/aws-identity.ts';
import type { Cloud, PrincipalRef } from '../../alert.ts';
import { isGuid } from '../../names.ts';
import { memo, memoByFirst } from '../memo.ts';
import { entraPrincipal, ipPrincipal } from '../principals.ts';
import type { InferenceRecord } from '../records.ts';
import { type LogFormat, malformed, num, parseObject, str, time } from './log-format.ts';

/** `callerType` values for Entra object ids, as the Azure logs name the principal types. */
const ENTRA_TYPES: Record<string, string> = {
  'service-principal': 'ServicePrincipal',
  'managed-identity': 'ManagedIdentity',
  'entra-user': 'User',
};

/**
 * Tourniquet's generic inference log (docs/detection.md, "Generic inference log"): one JSON object
 * per line, written by any gateway in front of a model.
 *
 * @example
 * {"time":"2026-11-25T10:00:00Z","cloud":"aws","account":"111122223333","caller":"arn:aws:sts::111122223333:assumed-role/app/s1",
 *  "endpoint":"chat-prod","prompt":"…","response":"…","inputTokens":12,"outputTokens":40,"requestId":"r-1"}
 */
export const genericInferenceFormat: LogFormat = {
  name: 'inference-jsonl',
  cloud: 'aws',
  framing: 'lines',
  documentation: 'docs/detection.md#generic-inference-log',
  open: (ctx) => (line) => {
    const e = parseObject(line);
    const cloud = (str(e.cloud) ?? 'aws') as Cloud;
    if (cloud !== 'aws' && cloud !== 'azure') malformed(`cloud must be aws or azure, not ${cloud}`);
    const account = str(e.account) ?? ctx.defaultAccount ?? malformed('no account');
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
  },
};

const callerOfLine = memoByFirst((caller, type, account, tenant) =>
  callers(`${caller}|${type}|${account}|${tenant}`),
);

const callers = memo((key) => {
  const [caller = '', type = '', account = '', tenant = ''] = key.split('|');
  return callerOf(caller, type || undefined, account, tenant || undefined);
});

/** IAM ARNs and Entra object ids are identities; addresses and API key names are not (`certain: false`). */
function callerOf(
  caller: string,
  type: string | undefined,
  account: string,
  tenant: string | undefined,
): PrincipalRef {
  const arn = arnPrincipal(caller);
  if (arn) return arn;
  if (isGuid(caller)) return entraPrincipal(caller, tenant ?? account, type ? ENTRA_TYPES[type] : undefined);
  if (isIpLike(caller)) return ipPrincipal(caller, account);
  return { id: `key:${caller}`, kind: 'unknown', account, aliases: [], certain: false };
}
