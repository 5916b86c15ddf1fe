import type { EscalateAction } from './actions.ts';
import type { ActionResult, ExecContext } from './executor.ts';

/**
 * What an escalation tells a person, in lines short enough for a phone: what happened, what was
 * done, what was not and why, the incident, and the one command (or link) to act. The same on both
 * clouds: SNS e-mail and chat (AWS, through the escalation rule's input transformer), the log line
 * an Azure Monitor alert fires on, and webhooks.
 */
export interface EscalationMessage {
  /** One line: an e-mail subject, a lock-screen notification. */
  subject: string;
  what: string;
  done: string;
  notDone: string;
  incident: string;
  act: string;
  /** Where the evidence pack is (or will be) written. */
  pack: string;
  /** Every line above, one per line, for a webhook or a log line. */
  text: string;
}

const VERB: Record<ActionResult['category'], string> = {
  revoke: 'cut off',
  quarantine: 'closed',
  snapshot: 'preserved',
  escalate: 'told',
  grant: 'granted',
};

/**
 * @example
 * escalationMessage({ incidentId: 'aws-guardduty-1f2e', account: '111122223333', params, results });
 * // { subject: 'Tourniquet CONTAINED aws-guardduty-1f2e: Exfiltration:S3/AnomalousBehavior', … }
 */
export function escalationMessage(input: {
  incidentId: string;
  account: string;
  params: EscalateAction['params'];
  /** Results of the cut-off the escalation waited for (`after`). */
  results: readonly ActionResult[];
  /** Where the evidence pack is written. */
  packLocation?: string;
}): EscalationMessage {
  const { incidentId, params, results } = input;
  const ok = results.filter((r) => r.outcome === 'applied' || r.outcome === 'already-applied');
  const failed = results.filter((r) => r.outcome === 'failed' || r.skip === 'dependency-failed');
  const held = !results.length;
  const state = failed.length ? 'PARTLY CONTAINED' : held ? 'NEEDS A HUMAN' : 'CONTAINED';
  const who = params.principal
    ? `${name(params.principal)} (account ${input.account})`
    : `account ${input.account}`;
  const on = params.resources.filter((r) => r !== params.principal).map(name);
  const lines = {
    subject: `Tourniquet ${state} ${incidentId}: ${params.alertType}`,
    what: `What happened: ${params.alertType}, severity ${params.severity}, by ${who}${on.length ? ` on ${[...new Set(on)].slice(0, 3).join(', ')}` : ''}`,
    done: `Done: ${ok.length ? ok.map((r) => `${VERB[r.category]} ${name(r.target)} (${r.kind})`).join('; ') : 'nothing changed automatically'}`,
    notDone: `Not done: ${[...failed.map((r) => `${r.kind} ${name(r.target)} FAILED: ${(r.error ?? r.outcome).slice(0, 120)}`), params.reason].join('; ')}`,
    incident: `Incident: ${incidentId}`,
    act: `Act: ${
      held && params.principal
        ? `judge, then contain by hand: tourniquet contain --principal ${params.principal} --incident-id ${incidentId}-by-hand --reason "…"`
        : `tourniquet incidents show ${incidentId}${failed.length ? ' (the function retries what failed)' : ''}`
    }`,
    pack: `Evidence pack: ${input.packLocation ?? '(written when containment ends)'}`,
  };
  return {
    ...lines,
    text: [lines.subject, lines.what, lines.done, lines.notDone, lines.act, lines.pack].join('\n'),
  };
}

/**
 * What both clouds' escalate executors send for one action: the message line by line (`message`,
 * for a transformer or an alert rule), as one text (`summary`), and where the pack is.
 */
export function escalationOf(action: EscalateAction, ctx: ExecContext, packLocation?: string) {
  const { text, ...message } = escalationMessage({
    incidentId: ctx.incidentId,
    account: action.account,
    params: action.params,
    results: [...ctx.results.values()],
    ...(packLocation ? { packLocation } : {}),
  });
  return { ...(packLocation ? { evidencePack: packLocation } : {}), message, summary: text };
}

/** The readable end of an id: a role or bucket name, a storage account, a container. */
function name(id: string): string {
  const tail = id.split(/[/:]/).filter(Boolean).at(-1) ?? id;
  return tail.length > 64 ? `${tail.slice(0, 61)}…` : tail;
}
