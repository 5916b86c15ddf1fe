import { createReadStream } from 'node:fs';
import { decide } from '../../core/decide.ts';
import { atLeastConfidence } from '../../core/detect/combinations.ts';
import type { CorrelatedAlert } from '../../core/detect/correlate.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession, type ScanStats } from '../../core/detect/scan.ts';
import { FORMAT_NAMES, PACKS } from '../../packs/index.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { emit } from '../output.ts';
import { plural } from '../run-summary.ts';
import { alertLine } from './scan/alert-line.ts';
import { options, sizeOf } from './scan/options.ts';
import { progressBar } from './scan/progress-bar.ts';
import { fileProblem, outOfScope, scanView, summary } from './scan/scan-view.ts';

export { alertLine } from './scan/alert-line.ts';
export { outOfScope } from './scan/scan-view.ts';

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
