import { createHash } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import type { Action, ActionKind, ActionOfKind } from '../../../core/actions.ts';
import type { Alert } from '../../../core/alert.ts';
import type { Config } from '../../../core/config.ts';
import { decide } from '../../../core/decide.ts';
import type { ActionResult, ExecContext } from '../../../core/executor.ts';
import type { ClientsFor } from '../../../functions-aws/clients.ts';
import { PACKS } from '../../../packs/index.ts';
import { exfiltrationAlert } from '../../support/alerts.ts';
import { awsConfig } from '../../support/config.ts';

export const NOW = new Date('2026-11-25T10:00:01.200Z');

/** Home-account clients; aws-sdk-client-mock replaces `send` on every instance of each class. */
export const homeClients: ClientsFor = async () => ({
  iam: new IAMClient({ region: 'us-east-1' }),
  s3: new S3Client({ region: 'us-east-1' }),
  eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
});

/** Actions exactly as the core plans them for an alert: executors are tested on real plans. */
export function planned(alert: Alert = exfiltrationAlert(), config: Config = awsConfig()): Action[] {
  const decision = decide(alert, config, { packs: PACKS, now: NOW });
  if (decision.decision !== 'contain') throw new Error(`expected a contain decision, got ${decision.reason}`);
  return decision.actions;
}

export function plannedOf<K extends ActionKind>(kind: K, alert?: Alert, config?: Config): ActionOfKind<K> {
  const action = planned(alert, config).find((a) => a.kind === kind);
  if (!action) throw new Error(`no ${kind} in the plan`);
  return action as ActionOfKind<K>;
}

export function ctx(
  results: ActionResult[] = [],
  incidentId = 'aws-guardduty-0123456789abcdef0123',
): ExecContext {
  return { incidentId, results: new Map(results.map((r) => [r.actionId, r])) };
}

/** Every input a mocked client received for one command, in order: for exact comparisons. */
export function inputsOf<I>(
  mock: { commandCalls(command: never): { args: [{ input: unknown }] }[] },
  command: new (input: I) => unknown,
): I[] {
  return mock.commandCalls(command as never).map((c) => c.args[0].input as I);
}

/**
 * The quarantine Sid an incident must get, written from the contract (prefix + first 12 hex digits
 * of the SHA-256 of the incident id), independently of packs/aws/policies.ts.
 */
export function sidFor(incidentId: string): string {
  return `TourniquetQuarantine${createHash('sha256').update(incidentId).digest('hex').slice(0, 12)}`;
}
