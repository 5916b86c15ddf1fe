import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession, type ScanStats } from '../../core/detect/scan.ts';
import { RejectedInputError } from '../../core/errors.ts';
import { FORMAT_NAMES, isFormatName, PACKS } from '../../packs/index.ts';
import { UsageError } from '../args.ts';
import { type Command, EXIT, type Io } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';

const help = `Usage: tourniquet scan --input FILE [FILE…] [--format NAME] [--config FILE] [--account ID]

Runs the detectors over exported log files, for forensics: every file is streamed (gzip or plain,
any size), windows span the files in the order given, and nothing in any cloud is touched.

Options:
  --input FILE    a log file; repeat the flag or list several files after it
  --format NAME   the files' format, when it cannot be told from their first bytes:
                  ${FORMAT_NAMES.join(', ')}
  --config FILE   configuration (default: ./tourniquet.config.json, else examples/tourniquet.config.json)
  --account ID    account or subscription for lines that name none (S3 access logs)
  -h, --help      this text

Output: one JSON object per line per alert on stdout, with type, severity, principal, resources,
evidence and the decision it would get (nothing is executed); a summary per file on stderr, and a
progress bar there when stderr is a terminal. Malformed lines are counted and skipped.
Exit codes: 0 the scan completed (alerts or not), 1 usage or configuration error.

Example:
  tourniquet scan --input AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/25/*.json.gz`;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'run the leak detectors over exported log files (forensics)',
  help,
  async run(argv, io) {
    const { inputs, format, configPath, account } = options(argv);
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
    let alerts = 0;
    for (const [i, file] of inputs.entries()) {
      let result: { stats: ScanStats; alerts: Alert[] };
      try {
        result = await session.scan(createReadStream(file), {
          ...(format ? { format } : {}),
          onBytes: (n) => progress.update(done + n, `${i + 1}/${inputs.length} ${file}`),
        });
      } catch (error) {
        progress.clear();
        if (error instanceof RejectedInputError)
          throw new UsageError(`${file}: ${error.message} with --format`, { cause: error });
        throw error;
      }
      done += sizes[i] ?? 0;
      progress.clear();
      for (const alert of result.alerts)
        io.out(JSON.stringify(alertLine(alert, decide(alert, config, { now, packs: PACKS }))));
      alerts += result.alerts.length;
      io.err(summary(file, result.stats));
    }
    io.err(`${alerts} alert(s) from ${inputs.length} file(s)`);
    return EXIT.ok;
  },
};

function options(argv: string[]) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), { cause: error });
  }
  const { values, tokens } = parsed;
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
    throw new UsageError(`unknown --format "${values.format}": use one of ${FORMAT_NAMES.join(', ')}`);
  }
  const format = values.format && isFormatName(values.format) ? values.format : undefined;
  return { inputs, format, configPath: values.config, account: values.account };
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true, tokens: true });
}

const flags = {
  input: { type: 'string', multiple: true },
  format: { type: 'string' },
  config: { type: 'string' },
  account: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

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
export function alertLine(alert: Alert, decision: ReturnType<typeof decide>) {
  return {
    type: alert.type,
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
