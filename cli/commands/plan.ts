import type { Decision } from '../../core/actions.ts';
import { decide } from '../../core/decide.ts';
import { rejectDecision } from '../../core/parsed-event.ts';
import { PACKS } from '../../packs/index.ts';
import { parseFlags, readInput, required } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { emit, outputFormat, type Section, shellWord, type View } from '../output.ts';
import { parseAnyEvent } from '../parse-any-event.ts';
import { actionsTable, decisionLines, decisionRecord, plural } from '../run-summary.ts';

const help = `Usage: tourniquet plan --event FILE [--config FILE]

Prints the decision Tourniquet would take for an event — which principal it revokes and how (with
the exact IAM and bucket policy documents), which stores it quarantines, which objects it pins —
without calling any cloud. FILE is an EventBridge event (GuardDuty, Security Hub, CloudTrail,
Macie) or an Azure Event Grid / CloudEvents / Defender / Monitor alert; "-" reads stdin.

Options:
  --event FILE    the event as delivered (JSON)
  --config FILE   configuration (default: ./tourniquet.config.json, else the example config)

Output: the decision as JSON (an array when the event holds several findings), with the exact
documents; as a table, the actions and what to run next.

Example:
  tourniquet plan --event examples/events/guardduty-s3-exfiltration.json --config examples/tourniquet.config.json`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what Tourniquet would do about an event, touching no cloud',
  help,
  exits: ['ok', 'usage', 'rejected'],
  async run(argv, io) {
    const { values } = parseFlags(argv, { event: { type: 'string' }, config: { type: 'string' } });
    const format = outputFormat(values, io);
    const eventPath = required(values.event, '--event', 'the event file to plan for (or - for stdin)');
    const { config, path, example } = loadConfigFile(values.config);
    if (example) io.err(`(no --config given: using the example configuration ${path})`);
    const parsed = parseAnyEvent(await readInput(eventPath));
    const now = new Date();
    const decisions: Decision[] =
      parsed.kind === 'alerts'
        ? parsed.alerts.map((alert) => decide(alert, config, { now, packs: PACKS }))
        : parsed.kind === 'rejected'
          ? [rejectDecision(parsed.reason, config.mode)]
          : [{ decision: 'ignore', reason: parsed.reason, mode: config.mode, alert: null, actions: [] }];
    emit(io, format, planView(decisions, eventPath));
    return decisions.some((d) => d.decision === 'reject') ? EXIT.rejected : EXIT.ok;
  },
};

function planView(decisions: Decision[], eventPath: string): View {
  const sections: Section[] = decisions.map((d) => ({
    lines: decisionLines(d),
    record: decisionRecord(d),
    ...(d.actions.length ? { table: actionsTable(d.actions) } : {}),
  }));
  const contained = decisions.filter((d) => d.decision === 'contain');
  const escalations = contained.flatMap((d) => d.actions.filter((a) => a.kind === 'escalate'));
  const event = shellWord(eventPath);
  return {
    json: JSON.stringify(decisions.length === 1 ? decisions[0] : decisions, null, 2),
    sections,
    summary: {
      headline: 'PLAN ONLY — nothing was changed (plan never calls a cloud)',
      tone: 'strong',
      lines: [
        ...decisions
          .filter((d) => d.decision !== 'contain')
          .map(
            (d) =>
              `${d.decision.toUpperCase()}${d.alert ? ` ${d.alert.source} ${d.alert.type}` : ''}: ${d.reason}`,
          ),
        ...contained.map(
          (d) =>
            `${d.incidentId}: ${plural(d.actions.length, 'action')}; ${d.mode === 'enforce' ? 'the deployed functions would carry them out (mode enforce)' : 'the deployed functions would only log them (mode dry-run)'}`,
        ),
        ...(contained.length
          ? [
              escalations.length
                ? `Would tell: humans (${escalations.map((a) => a.params.reason).join('; ')})`
                : 'Would tell: nobody (no escalation in this plan)',
            ]
          : []),
        ...(contained.length ? ['The exact policy documents: the same command with --output json'] : []),
      ],
      next: contained.length
        ? [
            `tourniquet exercise --event ${event} --out ./drill   # rehearse it on simulated clouds`,
            `tourniquet contain --event ${event} --reason "…"   # act on it now, by hand`,
          ]
        : [],
    },
  };
}
