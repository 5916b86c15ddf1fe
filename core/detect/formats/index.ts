import type { CloudPack } from '../../cloud-pack.ts';
import { genericInferenceFormat } from './generic-inference.ts';
import type { LogFormat } from './log-format.ts';

/**
 * Every input format by name (`tourniquet scan --format <name>`): each pack's, then Tourniquet's
 * generic inference log, which reads callers of every pack. Sniffing tries them in this order.
 *
 * @example
 * const formats = formatTable(PACKS); // { cloudtrail, 's3-access', …, 'inference-jsonl' }
 */
export function formatTable(packs: readonly CloudPack[]): Readonly<Record<string, LogFormat>> {
  const table: Record<string, LogFormat> = {};
  for (const pack of packs) {
    for (const [name, format] of Object.entries(pack.formats)) {
      if (table[name]) throw new Error(`two packs name a log format "${name}"`);
      table[name] = format;
    }
  }
  table['inference-jsonl'] = genericInferenceFormat(packs);
  return table;
}
