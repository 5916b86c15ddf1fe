import type { Decision } from '../../core/actions.ts';
import { decide } from '../../core/decide.ts';
import { rejectDecision } from '../../core/parsed-event.ts';
import { PACKS } from '../../packs/index.ts';
import { parseFlags, readInput, required } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { parseAnyEvent } from '../parse-any-event.ts';
import { describeDecision } from '../render.ts';

const help = `Usage: tourniquet plan --event FILE [--config FILE]

Prints the decision Tourniquet would take for an event — which principal it revokes and how (with
the exact IAM and bucket policy documents), which stores it quarantines, which objects it pins —
without calling any cloud. FILE is an EventBridge event (GuardDuty, Security Hub, CloudTrail,
Macie) or an Azure Event Grid / CloudEvents / Defender / Monitor alert; "-" reads stdin.

Options:
  --event FILE    the event as delivered (JSON)
  --config FILE   configuration (default: ./tourniquet.config.json, else the example config)
  -h, --help      this text

Output: the decision as JSON on stdout (an array when the event holds several findings), a short
summary on stderr. Exit codes: 0 contain or ignore, 2 input rejected, 1 usage or config error.

Example:
  tourniquet plan --event examples/events/guardduty-s3-exfiltration.json --config examples/tourniquet.config.json`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what Tourniquet would do about an event, touching no cloud',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, { event: { type: 'string' }, config: { type: 'string' } });
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
    io.out(JSON.stringify(decisions.length === 1 ? decisions[0] : decisions, null, 2));
    for (const d of decisions) io.err(describeDecision(d));
    return decisions.some((d) => d.decision === 'reject') ? EXIT.rejected : EXIT.ok;
  },
};
