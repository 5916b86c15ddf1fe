import { createReadStream, statSync } from 'node:fs';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { atLeastConfidence } from '../../core/detect/combinations.ts';
import type { CorrelatedAlert } from '../../core/detect/correlate.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { findingMode } from '../../core/detect/modes.ts';
import { createScanSession, type ScanStats } from '../../core/detect/scan.ts';
import { didYouMean } from '../../core/did-you-mean.ts';
import { RejectedInputError } from '../../core/errors.ts';
import { FORMAT_NAMES, isFormatName, PACKS } from '../../packs/index.ts';
import { parseFlags, UsageError } from '../args.ts';
import { type Command, EXIT, type Io } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { emit, outputFormat, type View } from '../output.ts';
import { plural } from '../run-summary.ts';

const help = `Usage: tourniquet scan --input FILE [FILE…] [--format NAME] [--config FILE] [--account ID] [--signals]

Runs the detectors over exported log files, for forensics: every file is streamed (gzip or plain,
any size), windows span the files in the order given, and nothing in any cloud is touched.

Options:
  --input FILE    a log file; repeat the flag or list several files after it
  --format NAME   the files' format, when it cannot be told from their first bytes:
                  ${FORMAT_NAMES.join(', ')}
  --config FILE   configuration (default: ./tourniquet.config.json, else examples/tourniquet.config.json)
  --account ID    account or subscription for lines that name none (S3 access logs)
  --signals       also list findings below detect.minConfidence (low: signals, never alerts)

Output: one JSON object per line per finding at or above detect.minConfidence (default medium) on
stdout, with type, actor (session, end user, SAS hash, address), principal (what containment would
act on), confidence, signals in words, the detectors' mode, wouldDecide (the decision it would get
if its detectors were in contain mode; nothing is executed), resources and evidence; a summary per file on stderr, and a
progress bar there when stderr is a terminal. Malformed lines are counted and skipped; a file that
cannot be read as a log (empty, corrupt, truncated gzip, not the format) is named, the others are
scanned, and the exit code is 2. The summary names what no rule looks at: events from accounts or
subscriptions not in scope, operations on stores that are not configured assets. With
--output table (the default on a terminal) the alerts are one table at the end; text prints them
tab-separated.

Example:
  tourniquet scan --input AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/25/*.json.gz`;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'run the leak detectors over exported log files (forensics)',
  help,
  exits: ['ok', 'usage', 'rejected'],
  async run(argv, io) {
    const { inputs, format, configPath, account, output, signals } = options(argv, io);
    const { config, path, example } = loadConfigFile(configPath);
    if (example) io.err(`(no --config given: using the example configuration ${path})`);
    const sizes = inputs.map(sizeOf);
    const progress = progressBar(
      io,
      sizes.reduce((a, b) => a + b, 0),
    );
    const session = createScanSession(config, memoryWindowStore(), {
      packs: PACKS,
      ...(account ? { defaultAccount: account } : {}),
    });
    const now = new Date();
    let done = 0;
    const lines: ReturnType<typeof alertLine>[] = [];
    const failed: string[] = [];
    const seen: ScanStats[] = [];
    for (const [i, file] of inputs.entries()) {
      let result: { stats: ScanStats; alerts: CorrelatedAlert[] } | undefined;
      try {
        result = await session.scan(createReadStream(file), {
          ...(format ? { format } : {}),
          onBytes: (n) => progress.update(done + n, `${i + 1}/${inputs.length} ${file}`),
        });
      } catch (error) {
        // One empty, corrupt or foreign file is reported by name; the batch goes on.
        failed.push(`${file}: ${sizes[i] === 0 ? 'the file is empty' : fileProblem(error, format)}`);
      }
      done += sizes[i] ?? 0;
      progress.clear();
      if (!result) {
        io.err(failed.at(-1) as string);
        continue;
      }
      seen.push(result.stats);
      const { stats } = result;
      if (stats.units > 0 && stats.malformed === stats.units)
        failed.push(
          `${file}: not one of its ${plural(stats.units, 'line or record')} is ${stats.format} (${stats.malformedSamples[0] ?? ''})`,
        );
      for (const alert of result.alerts) {
        // Below detect.minConfidence a finding is a signal: listed only with --signals.
        const signal = !atLeastConfidence(alert.confidence, config.detect.minConfidence);
        if (signal && !signals) continue;
        const line = alertLine(alert, decide(alert, config, { now, packs: PACKS }), config, signal);
        // JSON lines stream as they come; a table needs them all.
        if (output === 'json') io.out(JSON.stringify(line));
        else lines.push(line);
      }
      io.err(summary(file, stats));
    }
    emit(io, output, scanView(lines, inputs.length, failed, outOfScope(seen, config)));
    return failed.length ? EXIT.rejected : EXIT.ok;
  },
};

/** Why a file could not be read as a log: what was wrong, and the fix. */
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

function options(argv: string[], io: Io) {
  const { values, tokens } = parseFlags(
    argv,
    {
      input: { type: 'string', multiple: true },
      format: { type: 'string' },
      config: { type: 'string' },
      account: { type: 'string' },
      signals: { type: 'boolean' },
    },
    Number.POSITIVE_INFINITY,
  );
  // Files are scanned in command-line order (windows follow it), whether named by --input or after it.
  const inputs = tokens.flatMap((t) =>
    t.kind === 'positional'
      ? [t.value]
      : t.kind === 'option' && t.name === 'input' && t.value
        ? [t.value]
        : [],
  );
  if (!values.input?.length) throw new UsageError('--input is required: the log file(s) to scan');
  if (values.format !== undefined && !isFormatName(values.format)) {
    const guess = didYouMean(values.format, FORMAT_NAMES);
    throw new UsageError(
      `unknown --format "${values.format}"${guess ? ` (did you mean ${guess}?)` : ''}: use one of ${FORMAT_NAMES.join(', ')}`,
    );
  }
  const format = values.format && isFormatName(values.format) ? values.format : undefined;
  return {
    inputs,
    format,
    configPath: values.config,
    account: values.account,
    signals: values.signals === true,
    output: outputFormat(values, io),
  };
}

/** Every alert in one table (or tab-separated), and the count; JSON lines were printed already. */
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

function sizeOf(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file`);
    return stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no such file: ${file}`, { cause: error });
  }
}

/** The JSON line for one alert: what it is, who, on what, why, and what the decision would be. */
export function alertLine(
  alert: CorrelatedAlert,
  decision: ReturnType<typeof decide>,
  config: Config,
  signal = false,
) {
  return {
    ...(signal ? { line: 'signal' as const } : { line: 'alert' as const }),
    type: alert.type,
    actor: alert.actor.id,
    confidence: alert.confidence,
    signals: alert.signals,
    mode: findingMode(config, alert),
    /** The decision it would get if its detectors were in `contain` mode (the scan never acts). */
    wouldDecide: decision.decision,
    severity: alert.severity,
    principal: alert.principal?.id ?? null,
    principalKind: alert.principal?.kind ?? null,
    certain: alert.principal?.certain ?? null,
    resources: alert.resources.map((r) => r.id),
    evidence: alert.context.evidence ?? {},
    title: alert.title,
    cloud: alert.cloud,
    account: alert.account,
    observedAt: alert.observedAt,
    rule: alert.context.rule,
    dedupeKey: alert.dedupeKey,
    decision: {
      decision: decision.decision,
      reason: decision.reason,
      ...(decision.playbook ? { playbook: decision.playbook } : {}),
      ...(decision.incidentId ? { incidentId: decision.incidentId } : {}),
      actions: decision.actions.map((a) => ({ kind: a.kind, target: a.target })),
    },
  };
}

function summary(file: string, s: ScanStats): string {
  const bad = s.malformed
    ? `, ${s.malformed} malformed skipped (${s.malformedSamples.slice(0, 2).join('; ')})`
    : '';
  return `${file}: ${s.format}, ${s.units} lines/records read, ${s.records} events${bad}`;
}

/**
 * A hand-written bar on stderr (a dependency is not worth 20 lines): only on a terminal, only
 * for inputs over 8 MB, redrawn at most ten times a second.
 */
function progressBar(io: Io, total: number) {
  const on = io.interactive && total > 8 * 1024 * 1024;
  let last = 0;
  return {
    update(bytes: number, label: string) {
      const now = Date.now();
      if (!on || now - last < 100) return;
      last = now;
      const share = Math.min(1, bytes / total);
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
      process.stderr.write(
        `\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${(bytes / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB ${label}`.slice(
          0,
          160,
        ),
      );
    },
    clear() {
      if (on) process.stderr.write('\r\x1b[2K');
    },
  };
}
