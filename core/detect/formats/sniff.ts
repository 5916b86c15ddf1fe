import type { FormatName } from './index.ts';

/**
 * Tells the format from the first decoded bytes of a file (a few KB are enough), or undefined.
 * Single-document JSON (`{"Records"`, `{"records"`) is told by its first key; line formats by the
 * shape of their first line.
 */
export function sniffFormat(head: string): FormatName | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (/^\{\s*"Records"\s*:/.test(text)) return 'cloudtrail';
  if (/^\{\s*"records"\s*:/.test(text))
    return /flowTuples|flowLogVersion|"flows"/.test(text) ? 'azure-flow' : undefined;
  const first = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (/^version /.test(first) && first.includes('srcaddr')) return 'vpc-flow';
  if (/^\d+ (\d{12}|-) (eni-\S+|-) /.test(first)) return 'vpc-flow';
  if (/^\S+ \S+ \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /.test(first)) return 's3-access';
  if (!first.startsWith('{')) return undefined;
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(first);
  } catch {
    return undefined;
  }
  if (line.schemaType === 'ModelInvocationLog') return 'bedrock';
  if (typeof line.category === 'string' && /^Storage(Read|Write|Delete)$/.test(line.category))
    return 'azure-storage';
  if (line.category === 'RequestResponse' || line.category === 'GatewayLlmLogs') return 'azure-openai';
  if (typeof line.caller === 'string' && typeof line.endpoint === 'string') return 'inference-jsonl';
  return undefined;
}
