import type { Config } from '../../../core/config.ts';
import type { ScanStats } from '../../../core/detect/scan.ts';
import { RejectedInputError } from '../../../core/errors.ts';
import type { View } from '../../output.ts';
import { plural } from '../../run-summary.ts';
import type { alertLine } from './alert-line.ts';

export /** Why a file could not be read as a log: what was wrong, and the fix. */
function fileProblem(error: unknown, format: string | undefined): string {
  if (error instanceof RejectedInputError)
    return format ? `${error.message}` : `${error.message} with --format`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_STREAM_ERROR')
    return `not a readable gzip file (${(error as Error).message}): truncated or corrupt`;
  return (error as Error).message;
}

/**
 * What the scan read but no rule acts on, named: events from accounts or subscriptions that are
 * not in scope, object operations on stores that are not configured assets.
 */
export function outOfScope(stats: readonly ScanStats[], config: Config): string[] {
  const sum = (pick: (s: ScanStats) => Record<string, number>) => {
    const total = new Map<string, number>();
    for (const s of stats)
      for (const [k, n] of Object.entries(pick(s))) total.set(k, (total.get(k) ?? 0) + n);
    return [...total].sort((a, b) => b[1] - a[1]);
  };
  const accounts = new Set([
    ...(config.aws?.accounts ?? []),
    ...(config.azure?.subscriptions ?? []).map((x) => x.toLowerCase()),
  ]);
  const assets = new Set([
    ...(config.aws?.assets ?? []).map((a) => a.bucket),
    ...(config.azure?.assets ?? []).flatMap((a) => {
      const name = (a.storageAccount.split('/').at(-1) ?? '').toLowerCase();
      return a.containers.map((c) => `${name}/${c}`);
    }),
  ]);
  const which = (id: string) => (/^\d{12}$/.test(id) ? `account ${id}` : `subscription ${id}`);
  return [
    ...sum((s) => s.accounts)
      .filter(([id]) => !accounts.has(id.toLowerCase()))
      .map(
        ([id, n]) =>
          `${plural(n, 'event')} from ${which(id)}, which is not in scope: their alerts are ignored`,
      ),
    ...sum((s) => s.stores)
      .filter(([name]) => !assets.has(name))
      .slice(0, 10)
      .map(([name, n]) => `${plural(n, 'object operation')} on ${name}, which is not a configured asset`),
  ];
}

export /** Every alert in one table (or tab-separated), and the count; JSON lines were printed already. */
function scanView(
  lines: ReturnType<typeof alertLine>[],
  files: number,
  failed: readonly string[],
  unscoped: readonly string[],
): View {
  return {
    sections: [
      {
        table: {
          name: 'ALERT',
          columns: [
            'OBSERVED (UTC)',
            'CONFIDENCE',
            'TYPE',
            'MODE',
            'WOULD DECIDE',
            'ACTOR',
            'PRINCIPAL',
            'SIGNALS',
          ],
          rows: lines.map((l) => [
            l.observedAt,
            l.line === 'signal' ? `${l.confidence} (signal)` : l.confidence,
            l.type,
            l.mode,
            { text: l.wouldDecide, tone: l.wouldDecide === 'contain' ? 'bad' : 'dim' },
            l.actor,
            l.principal ?? '-',
            l.signals.join('; '),
          ]),
        },
      },
    ],
    summary: {
      headline: `${plural(lines.filter((l) => l.line === 'alert').length, 'alert')} from ${plural(files - failed.length, 'file')}${failed.length ? `; ${plural(failed.length, 'file')} FAILED` : ''}; nothing was changed (scan never acts)`,
      tone: failed.length ? 'bad' : lines.length ? 'warn' : 'good',
      lines: [...failed.map((f) => `failed: ${f}`), ...unscoped.map((u) => `out of scope: ${u}`)],
      ...(lines.length
        ? { next: ["tourniquet plan --event FILE   # for an alert's event, the exact plan"] }
        : {}),
    },
  };
}

/** The line on stderr that sums up one scanned file. */
export function summary(file: string, s: ScanStats): string {
  const bad = s.malformed
    ? `, ${s.malformed} malformed skipped (${s.malformedSamples.slice(0, 2).join('; ')})`
    : '';
  return `${file}: ${s.format}, ${s.units} lines/records read, ${s.records} events${bad}`;
}
