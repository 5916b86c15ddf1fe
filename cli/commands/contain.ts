import { IncidentExistsError } from '../../core/errors.ts';
import type { ActionResult } from '../../core/executor.ts';
import type { AlertOutcome } from '../../core/handle.ts';
import { incidentIdFor } from '../../core/incident-id.ts';
import { type ManualResult, runManualCommand } from '../../core/manual.ts';
import { type ManualCommand, parseManualCommand } from '../../core/manual-command.ts';
import { parseFlags, readInput, required, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { emit, outputFormat, shellWord, type View } from '../output.ts';
import { parseAnyEvent } from '../parse-any-event.ts';
import { describeResult } from '../render.ts';
import { decisionLines, decisionRecord, resultsTable, runHeadline, toldLine } from '../run-summary.ts';
import { cliRuntime, cloudOfTarget } from '../runtime.ts';

const help = `Usage: tourniquet contain (--event FILE | --principal ID [--bucket NAME …] [--object URI …]
                          [--access-key AKIA…] | --bucket NAME … [--account ID])
                          --reason TEXT [--approver NAME] [--incident-id ID] [--force-unlisted]
                          [--config FILE] [--dry-run] [--journal DIR]

Contains by hand with the default credentials (AWS credential chain, e.g. CloudShell; or
DefaultAzureCredential, e.g. az login), under the same guardrails as automatic containment:
responders and break-glass are never revoked, the blast-radius limits hold. Prints one line per
action as it finishes (stderr), then what was done and what to run next. The approver and reason
go into the incident journal; a repeated run with the same incident id repeats nothing, and an id
that was released or holds another plan is refused (choose a new id). In
dry-run mode (the configuration's, or --dry-run) nothing is read or changed and no credentials are
needed.

Options:
  --event FILE        contain what this event (EventBridge / Event Grid / Defender) names
  --principal ID      IAM role or user ARN, or Azure object id as sp:<id>, mi:<id> or user:<id>
  --bucket NAME       a bucket (AWS) or storage account / container resource id (Azure); repeatable.
                      Without --principal: a bucket-only containment (quarantine and pin)
  --account ID        AWS: the account of the buckets when no --principal names it (default: the
                      configured account, when there is only one)
  --object URI        s3://bucket/key or blob URL to pin as evidence; repeatable
  --access-key ID     an AWS access key to deactivate; repeatable
  --force-unlisted    act on buckets or containers that are not configured assets (otherwise they
                      are refused); the reason is journaled. The deployed functions' role reaches
                      configured assets only: this works with your own credentials
  --reason TEXT       why (required; recorded)
  --approver NAME     who approved (default: $USER)
  --incident-id ID    default: the event's own incident id, or manual-<date>-<time>
  --config FILE       configuration (default: ./tourniquet.config.json; required otherwise)
  --dry-run           print what would be done; change nothing, whatever the configured mode
  --journal DIR       contain in an exercise: the journal and simulated clouds "tourniquet exercise
                      --out DIR" wrote (no real cloud is called)`;

export const containCommand: Command = {
  name: 'contain',
  summary: 'contain by hand: revoke, quarantine and pin now, with an approver and a reason',
  help,
  exits: ['ok', 'usage', 'rejected', 'incomplete', 'credentials'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      event: { type: 'string' },
      principal: { type: 'string' },
      bucket: { type: 'string', multiple: true },
      account: { type: 'string' },
      object: { type: 'string', multiple: true },
      'access-key': { type: 'string', multiple: true },
      'force-unlisted': { type: 'boolean' },
      reason: { type: 'string' },
      approver: { type: 'string' },
      'incident-id': { type: 'string' },
      config: { type: 'string' },
      'dry-run': { type: 'boolean' },
      journal: { type: 'string' },
    });
    const format = outputFormat(values, io);
    const stores = values.bucket ?? [];
    if ((values.event === undefined) === (values.principal === undefined && !stores.length)) {
      throw new UsageError('give either --event FILE or --principal/--bucket, not both and not neither');
    }
    const reason = required(
      values.reason,
      '--reason',
      'say why you are containing; it is recorded in the journal',
    );
    const exercise = values.journal;
    // An exercise folder was made with the example configuration unless told otherwise.
    const loaded = loadConfigFile(values.config, { allowExample: exercise !== undefined });
    const config = values['dry-run'] ? { ...loaded.config, mode: 'dry-run' as const } : loaded.config;
    const text = values.event !== undefined ? await readInput(values.event) : undefined;
    const parsed = text !== undefined ? parseAnyEvent(text) : undefined;
    if (parsed?.kind === 'rejected') {
      io.err(`tourniquet contain: input rejected: ${parsed.reason}`);
      return EXIT.rejected;
    }
    const first = parsed?.kind === 'alerts' ? parsed.alerts[0] : undefined;
    const cloud = first?.cloud ?? cloudOfTarget(values.principal, stores, config);
    const incidentId = values['incident-id'] ?? (first ? incidentIdFor(first) : generatedId());
    const command: ManualCommand = parseManualCommand({
      command: 'contain',
      incidentId,
      approver: values.approver ?? process.env.USER ?? 'unknown',
      reason,
      ...(text !== undefined
        ? { event: JSON.parse(text) }
        : {
            target: {
              ...(values.principal ? { principal: values.principal } : {}),
              stores,
              objects: values.object ?? [],
              accessKeyIds: values['access-key'] ?? [],
              ...accountOf(values.account, values.principal, cloud, config),
              ...(values['force-unlisted'] ? { forceUnlisted: true } : {}),
            },
          }),
    });
    io.err(
      `incident ${incidentId} (${config.mode}${config.mode === 'enforce' ? '' : ': nothing will change'})`,
    );
    const onProgress = (r: ActionResult) => io.err(describeResult(r));
    let result: ManualResult;
    if (exercise !== undefined && config.mode === 'enforce') {
      const { runInExercise } = await import('../exercise-folder.ts');
      result = await runInExercise(exercise, cloud, config, (runtime) =>
        runManualCommand(command, { ...runtime.deps, onProgress }, runtime.parsers),
      );
    } else {
      const runtime = await cliRuntime(cloud, config);
      result = await runManualCommand(command, runtime.deps({ onProgress }), runtime.parsers);
    }
    if (result.command !== 'contain') throw new Error(`contain answered ${result.command}`);
    const { failure, ...done } = result;
    const where = exercise !== undefined ? ` --journal ${shellWord(exercise)}` : '';
    emit(io, format, containView(done, JSON.stringify(done, null, 2), values['dry-run'] === true, where));
    if (done.outcomes.some((o) => o.decision.decision === 'reject')) return EXIT.rejected;
    // A taken incident id (released, or another plan): refused before anything changed.
    if (failure instanceof IncidentExistsError) return EXIT.rejected;
    return failure ? EXIT.incomplete : EXIT.ok;
  },
};

/** AWS buckets alone need their account: the one given, or the only one configured. */
function accountOf(
  account: string | undefined,
  principal: string | undefined,
  cloud: string,
  config: { aws?: { accounts: string[] } | undefined },
) {
  if (account !== undefined) return { account };
  if (principal !== undefined || cloud !== 'aws') return {};
  const accounts = config.aws?.accounts ?? [];
  if (accounts.length === 1) return { account: accounts[0] };
  throw new UsageError(
    `a bucket-only containment needs --account: the buckets could be in any of ${accounts.join(', ')}`,
  );
}

export function containView(
  done: { outcomes: AlertOutcome[] },
  json: string,
  dryRunFlag: boolean,
  where = '',
): View {
  const results = done.outcomes.flatMap((o) => o.report?.results ?? []);
  const contained = done.outcomes.filter((o) => o.decision.decision === 'contain' && o.decision.incidentId);
  const failed = results.some((r) => r.outcome === 'failed' || r.skip === 'dependency-failed');
  const dryRun = results.length > 0 && results.every((r) => r.outcome === 'skipped-dry-run');
  const rejected = done.outcomes.find((o) => o.decision.decision === 'reject');
  const ids = contained.map((o) => o.decision.incidentId as string);
  return {
    json,
    sections: done.outcomes.map((o) => ({
      record: decisionRecord(o.decision),
      lines: [
        ...decisionLines(o.decision),
        ...(o.error && !o.report ? [[{ text: o.error, tone: 'bad' as const }]] : []),
      ],
      ...(o.report?.results.length ? { table: resultsTable(o.report.results) } : {}),
    })),
    summary: rejected
      ? { headline: 'REJECTED — nothing was changed (the reason is above)', tone: 'bad' }
      : {
          ...(results.length
            ? runHeadline(results)
            : { headline: 'NOTHING TO DO — nothing was changed', tone: 'good' as const }),
          lines: results.length ? [toldLine(results)] : [],
          next: failed
            ? ['the same command again: it finishes what failed and repeats nothing that succeeded']
            : dryRun
              ? [
                  dryRunFlag
                    ? 'the same command without --dry-run, to act'
                    : 'the same command once the configuration says "mode": "enforce", to act',
                ]
              : ids.flatMap((id) => [
                  `tourniquet incidents show ${id}${where}`,
                  `tourniquet report ${id}${where} --out ${id}.html`,
                  `tourniquet release${where} --incident ${id} --reason "…"   # when it is over`,
                ]),
        },
  };
}

function generatedId(): string {
  return `manual-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}`;
}
