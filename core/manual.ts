import type { Decision } from './actions.ts';
import { RejectedInputError } from './errors.ts';
import { type AlertOutcome, type HandleDeps, handleParsedEvent } from './handle.ts';
import type { ManualCommand, ManualTarget } from './manual-command.ts';
import type { ParsedEvent } from './parsed-event.ts';
import { type ReleaseReport, release } from './release.ts';
import type { RunFailure } from './respond.ts';

/** How a cloud turns what a responder handed in (a raw event or an explicit target) into alerts. */
export interface ManualParsers {
  parseEvent(event: unknown): ParsedEvent;
  parseTarget(target: ManualTarget, meta: { incidentId: string; now: Date }): ParsedEvent;
}

/** What a by-hand command did; `failure` (a value, as for `handleParsedEvent`) when it must be tried again. */
export type ManualResult =
  | { command: 'plan'; decisions: Decision[] }
  | { command: 'contain'; outcomes: AlertOutcome[]; failure?: Error }
  | { command: 'release'; report: ReleaseReport; failure?: RunFailure };

/**
 * Runs a by-hand command, the same for the Lambda `manual` handler, the Azure HTTP function and the
 * CLI. `plan` touches no cloud. `contain` follows the same guardrails as automatic containment
 * (scope, responders, break-glass, blast radius) minus the severity threshold, and records the
 * approver and reason in the journal. `release` undoes an incident from its journal.
 */
export async function runManualCommand(
  cmd: ManualCommand,
  deps: HandleDeps,
  parsers: ManualParsers,
): Promise<ManualResult> {
  if (cmd.command === 'release') {
    const { report, failure } = await release(
      {
        incidentId: cmd.incidentId,
        approver: cmd.approver,
        reason: cmd.reason,
        includeEvidence: cmd.includeEvidence,
      },
      deps,
    );
    return { command: 'release', report, ...(failure ? { failure } : {}) };
  }
  const now = deps.now?.() ?? new Date();
  const incidentId = cmd.incidentId ?? 'preview';
  const parsed =
    cmd.target !== undefined
      ? parsers.parseTarget(cmd.target, { now, incidentId })
      : parsers.parseEvent(cmd.event);
  if (cmd.command === 'plan') {
    const planOnly = { ...deps, config: { ...deps.config, mode: 'dry-run' as const } };
    const { outcomes } = await handleParsedEvent(
      parsed,
      planOnly,
      cmd.target ? { manual: { incidentId } } : {},
    );
    return { command: 'plan', decisions: outcomes.map((o) => ({ ...o.decision, mode: deps.config.mode })) };
  }
  if (parsed.kind === 'alerts' && parsed.alerts.length > 1) {
    throw new RejectedInputError(
      `the event holds ${parsed.alerts.length} findings and one incident id was given: contain them one at a time`,
    );
  }
  const { outcomes, failure } = await handleParsedEvent(parsed, deps, {
    event: cmd.event ?? cmd.target,
    trigger: { kind: 'manual', approver: cmd.approver, reason: cmd.reason },
    manual: { incidentId: cmd.incidentId },
  });
  return { command: 'contain', outcomes, ...(failure ? { failure } : {}) };
}
