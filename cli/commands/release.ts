import type { Cloud } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import type { ActionResult } from '../../core/executor.ts';
import { type ManualResult, runManualCommand } from '../../core/manual.ts';
import { parseManualCommand } from '../../core/manual-command.ts';
import { PACKS } from '../../packs/index.ts';
import { parseFlags, required, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { journalSources } from '../journal-source.ts';
import { emit, outputFormat, shellWord, type View } from '../output.ts';
import { describeResult } from '../render.ts';
import { resultsTable, runHeadline } from '../run-summary.ts';
import { cliRuntime } from '../runtime.ts';

const help = `Usage: tourniquet release --incident ID --reason TEXT [--approver NAME] [--cloud aws|azure]
                          [--include-evidence] [--dry-run] [--config FILE] [--journal DIR]

Undoes an incident's changes from its journal in the evidence store: restores the bucket policy and
public access block (or storage account and container settings), removes the session-revoking
deny policies, reactivates the keys that were active, recreates removed role assignments. Only
what Tourniquet itself changed is undone. Evidence copies are always kept; legal holds and
versioning stay unless --include-evidence. Running it again changes nothing.

With --dry-run, or when the configuration is not in enforce mode, it reads the journal and shows
exactly what it would restore (each action's recorded before-state), and changes nothing.

Options:
  --incident ID        the incident id (from the decision, the logs or tourniquet incidents list)
  --reason TEXT        why (required; recorded)
  --approver NAME      who approved (default: $USER)
  --cloud aws|azure    where the incident is (default: from the id, else the configured cloud)
  --include-evidence   also lift legal holds and turn versioning back off where Tourniquet turned it on
  --dry-run            show what would be restored; change nothing
  --config FILE        configuration (default: ./tourniquet.config.json; required otherwise)
  --journal DIR        release an exercise: the journal and simulated clouds "tourniquet exercise
                       --out DIR" wrote (a real incident is released from its evidence store)`;

export const releaseCommand: Command = {
  name: 'release',
  summary: "undo an incident's containment from its journal (idempotent; --dry-run shows what)",
  help,
  exits: ['ok', 'usage', 'incomplete', 'credentials'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      incident: { type: 'string' },
      reason: { type: 'string' },
      approver: { type: 'string' },
      cloud: { type: 'string' },
      'include-evidence': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      config: { type: 'string' },
      journal: { type: 'string' },
    });
    const format = outputFormat(values, io);
    const incidentId = required(values.incident, '--incident', 'the id of the incident to release');
    const reason = required(
      values.reason,
      '--reason',
      'say why you are releasing; it is recorded in the journal',
    );
    const exercise = values.journal !== undefined;
    // An exercise folder was made with the example configuration unless told otherwise.
    const { config } = loadConfigFile(values.config, { allowExample: exercise });
    const cloud = cloudOf(values.cloud, incidentId, config.aws !== undefined);
    // The simulated clouds of an exercise act whatever the mode, as `exercise` itself does.
    const dryRun = values['dry-run'] === true || (!exercise && config.mode !== 'enforce');
    const command = parseManualCommand({
      command: 'release',
      incidentId,
      reason,
      approver: values.approver ?? process.env.USER ?? 'unknown',
      includeEvidence: values['include-evidence'] ?? false,
      ...(dryRun ? { dryRun } : {}),
    });
    const onProgress = (r: ActionResult) => io.err(describeResult(r));
    let result: ManualResult;
    if (dryRun) result = await fromJournal(command, config, values, cloud);
    else if (exercise) {
      const { runInExercise } = await import('../exercise-folder.ts');
      result = await runInExercise(values.journal as string, cloud, config, (runtime) =>
        runManualCommand(command, { ...runtime.deps, onProgress }, runtime.parsers),
      );
    } else {
      const runtime = await cliRuntime(cloud, config);
      result = await runManualCommand(command, runtime.deps({ onProgress }), runtime.parsers);
    }
    if (result.command !== 'release') throw new Error(`release answered ${result.command}`);
    const { failure, ...done } = result;
    const where = exercise ? ` --journal ${shellWord(values.journal as string)}` : '';
    emit(
      io,
      format,
      releaseView(done.report, JSON.stringify(done, null, 2), config.mode, values['dry-run'], where),
    );
    return failure ? EXIT.incomplete : EXIT.ok;
  },
};

/** A dry run reads the journal where it lives (the evidence store, or --journal DIR) and acts on nothing. */
async function fromJournal(
  command: ReturnType<typeof parseManualCommand>,
  config: Config,
  values: { journal?: string | undefined },
  cloud: Cloud,
): Promise<ManualResult> {
  const [source] = await journalSources({ ...values, cloud }, config);
  if (!source) throw new UsageError(`no journal to read for ${cloud}`);
  return runManualCommand(
    command,
    { config, packs: PACKS, executors: {}, journal: source.journal },
    {
      parseEvent: () => ({ kind: 'ignored', reason: 'release reads no event' }),
      parseTarget: () => ({ kind: 'ignored', reason: 'release reads no target' }),
    },
  );
}

function releaseView(
  report: Extract<ManualResult, { command: 'release' }>['report'],
  json: string,
  mode: Config['mode'],
  asked: boolean | undefined,
  where: string,
): View {
  const id = report.incidentId;
  const restoring = report.results.filter((r) => r.outcome === 'skipped-dry-run');
  const failed = report.results.some((r) => r.outcome === 'failed');
  const summary =
    report.status === 'dry-run'
      ? {
          headline: `DRY RUN — nothing was changed: release would undo ${restoring.length} action(s)${asked ? '' : ` (the configuration is in ${mode} mode)`}`,
          tone: 'warn' as const,
          lines: restoring.map(
            (r) => `  ${r.actionId} ${r.kind} ${r.target}: ${String(r.details?.inverse ?? '')}`,
          ),
          next: [
            `tourniquet release --incident ${id} --reason "…"${asked ? '' : '   # with "mode": "enforce"'}`,
          ],
        }
      : report.status === 'already-released'
        ? {
            headline: 'ALREADY RELEASED — nothing was changed',
            tone: 'good' as const,
            next: [`tourniquet report ${id}`],
          }
        : {
            ...runHeadline(report.results, { label: 'RELEASED', verb: 'undone' }),
            lines: ['Told: nobody (a release is recorded in the journal and the evidence pack)'],
            next: failed
              ? ['the same command again: it finishes what failed and repeats nothing that succeeded']
              : [`tourniquet report ${id}${where} --out ${id}.html`, `tourniquet verify ${id}${where}`],
          };
  return { json, sections: [{ lines: [[id, report.status]], table: resultsTable(report.results) }], summary };
}

function cloudOf(flag: string | undefined, incidentId: string, hasAws: boolean): Cloud {
  if (flag === 'aws' || flag === 'azure') return flag;
  if (flag !== undefined) throw new UsageError(`--cloud must be aws or azure, not "${flag}"`);
  if (incidentId.startsWith('aws-')) return 'aws';
  if (incidentId.startsWith('azure-')) return 'azure';
  return hasAws ? 'aws' : 'azure';
}
