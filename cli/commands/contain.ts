import { incidentIdFor } from '../../core/incident-id.ts';
import { runManualCommand } from '../../core/manual.ts';
import type { ManualCommand } from '../../core/manual-command.ts';
import { parseManualCommand } from '../../core/manual-command.ts';
import { parseFlags, readInput, required, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { parseAnyEvent } from '../parse-any-event.ts';
import { describeDecision, describeResult } from '../render.ts';
import { cliRuntime, cloudOfTarget } from '../runtime.ts';

const help = `Usage: tourniquet contain (--event FILE | --principal ID [--bucket NAME …] [--object URI …]
                          [--access-key AKIA…]) --reason TEXT [--approver NAME]
                          [--incident-id ID] [--config FILE] [--dry-run]

Contains by hand with the default credentials (AWS credential chain, e.g. CloudShell; or
DefaultAzureCredential, e.g. az login), under the same guardrails as automatic containment:
responders and break-glass are never revoked, the blast-radius limits hold. Prints one line per
action as it finishes, then the report as JSON on stdout. The approver and reason go into the
incident journal; a repeated run with the same incident id repeats nothing.

Options:
  --event FILE        contain what this event (EventBridge / Event Grid / Defender) names
  --principal ID      IAM role or user ARN, or Azure object id as sp:<id>, mi:<id> or user:<id>
  --bucket NAME       a bucket (AWS) or storage account / container resource id (Azure); repeatable
  --object URI        s3://bucket/key or blob URL to pin as evidence; repeatable
  --access-key ID     an AWS access key to deactivate; repeatable
  --reason TEXT       why (required; recorded)
  --approver NAME     who approved (default: $USER)
  --incident-id ID    default: the event's own incident id, or manual-<date>-<time>
  --config FILE       configuration (default: ./tourniquet.config.json; required otherwise)
  --dry-run           print what would be done; change nothing, whatever the configured mode

Exit codes: 0 contained (or nothing to do), 2 input rejected, 1 usage, config or action failure.`;

export const containCommand: Command = {
  name: 'contain',
  summary: 'contain by hand: revoke, quarantine and pin now, with an approver and a reason',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      event: { type: 'string' },
      principal: { type: 'string' },
      bucket: { type: 'string', multiple: true },
      object: { type: 'string', multiple: true },
      'access-key': { type: 'string', multiple: true },
      reason: { type: 'string' },
      approver: { type: 'string' },
      'incident-id': { type: 'string' },
      config: { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    if ((values.event === undefined) === (values.principal === undefined && !values.bucket?.length)) {
      throw new UsageError('give either --event FILE or --principal/--bucket, not both and not neither');
    }
    const reason = required(
      values.reason,
      '--reason',
      'say why you are containing; it is recorded in the journal',
    );
    const loaded = loadConfigFile(values.config, { allowExample: false });
    const config = values['dry-run'] ? { ...loaded.config, mode: 'dry-run' as const } : loaded.config;
    const event = values.event !== undefined ? JSON.parse(await eventText(values.event)) : undefined;
    const parsedEvent = values.event !== undefined ? parseAnyEvent(JSON.stringify(event)) : undefined;
    if (parsedEvent?.kind === 'rejected') {
      io.err(`input rejected: ${parsedEvent.reason}`);
      return EXIT.rejected;
    }
    const cloud =
      parsedEvent?.kind === 'alerts'
        ? (parsedEvent.alerts[0]?.cloud ?? 'aws')
        : cloudOfTarget(values.principal, config);
    const incidentId =
      values['incident-id'] ??
      (parsedEvent?.kind === 'alerts' && parsedEvent.alerts[0]
        ? incidentIdFor(parsedEvent.alerts[0])
        : generatedId());
    const command: ManualCommand = parseManualCommand({
      command: 'contain',
      incidentId,
      approver: values.approver ?? process.env.USER ?? 'unknown',
      reason,
      ...(event !== undefined
        ? { event }
        : {
            target: {
              ...(values.principal ? { principal: values.principal } : {}),
              stores: values.bucket ?? [],
              objects: values.object ?? [],
              accessKeyIds: values['access-key'] ?? [],
            },
          }),
    });
    const runtime = await cliRuntime(cloud, config);
    io.err(
      `incident ${incidentId} (${config.mode}${config.mode === 'enforce' ? '' : ': nothing will change'})`,
    );
    const result = await runManualCommand(
      command,
      runtime.deps({ onProgress: (r) => io.err(describeResult(r)) }),
      runtime.parsers,
    );
    if (result.command !== 'contain') throw new Error(`contain answered ${result.command}`);
    const { failure, ...done } = result;
    for (const o of done.outcomes) io.err(describeDecision(o.decision));
    io.out(JSON.stringify(done, null, 2));
    if (failure) throw failure;
    return done.outcomes.some((o) => o.decision.decision === 'reject') ? EXIT.rejected : EXIT.ok;
  },
};

async function eventText(path: string): Promise<string> {
  const text = await readInput(path);
  try {
    JSON.parse(text);
    return text;
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function generatedId(): string {
  return `manual-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}`;
}
