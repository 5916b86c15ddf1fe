import { awsPlanner } from '../packs/aws/planner.ts';
import { azurePlanner } from '../packs/azure/planner.ts';
import { type Action, type Decision, summarizeAlert } from './actions.ts';
import type { Alert, Cloud, PrincipalRef } from './alert.ts';
import type { Config } from './config.ts';
import { escalateAction } from './escalate.ts';
import { incidentIdFor } from './incident-id.ts';
import type { CloudPlanner } from './planner.ts';
import { playbooks as defaultPlaybooks } from './playbooks/index.ts';
import { findPlaybook, type Intent, type Playbook } from './playbooks/playbook.ts';
import { guardedBy } from './principal-match.ts';

const planners: Record<Cloud, CloudPlanner> = { aws: awsPlanner, azure: azurePlanner };

export interface DecideOptions {
  now: Date;
  /** A by-hand request: the incident id is the responder's, and the severity threshold does not apply. */
  manual?: { incidentId: string };
  /** The incident id to use instead of the one derived from the alert (a new generation after release). */
  incidentId?: string;
  playbooks?: readonly Playbook[];
}

/**
 * Decides what to do about one alert. Every guardrail runs here, before anything can act:
 * scope, sample findings, playbook, severity, benign activity, responders and break-glass,
 * unrevocable or uncertain identities, and the blast-radius limits.
 *
 * @example
 * const decision = decide(alert, config, { now: new Date() });
 * if (decision.decision === 'contain') await respond(decision, deps);
 */
export function decide(alert: Alert, config: Config, options: DecideOptions): Decision {
  const planner = planners[alert.cloud];
  const ignore = (reason: string, playbook?: Playbook): Decision => ({
    decision: 'ignore',
    reason,
    mode: config.mode,
    ...(playbook ? { playbook: playbook.id } : {}),
    alert: summarizeAlert(alert),
    actions: [],
  });

  if (!config[alert.cloud]) return ignore(`no "${alert.cloud}" section in the configuration`);
  if (!planner.inScope(alert, config)) return ignore(`account ${alert.account} is not in scope`);
  if (alert.sample) return ignore('sample finding');
  const playbook = findPlaybook(alert, options.playbooks ?? defaultPlaybooks);
  if (!playbook) return ignore(`no playbook for ${alert.source} ${alert.type}`);
  if (!options.manual && alert.severity < config.minSeverity) {
    return ignore(`severity ${alert.severity} is below minSeverity ${config.minSeverity}`, playbook);
  }
  const benign = playbook.benign?.(alert, config);
  if (benign) return ignore(`not a threat by itself: ${benign}`, playbook);

  const responders = planner.responders(config);
  const guarded = [...responders, ...planner.protectedPrincipals(config)];
  const principal = alert.principal;
  const isResponder = !!principal && guardedBy(responders, principal);
  if (isResponder && playbook.onResponder === 'ignore') {
    return ignore(`the actor ${principal.id} is a responder`, playbook);
  }

  const intents = new Set<Intent>(playbook.intents);
  let escalation: string | undefined;
  if (intents.has('revoke-principal')) {
    const held = whyNotRevocable(alert, config, planner, guarded, isResponder);
    if (held) {
      escalation = held;
      intents.delete('revoke-principal');
      // Quarantine cannot stop an exempt principal and would only disrupt everyone else.
      if (isResponder || (principal && guardedBy(guarded, principal))) intents.delete('contain-resources');
    }
  }

  const incidentId = options.manual?.incidentId ?? options.incidentId ?? incidentIdFor(alert);
  const isGuarded = (id: string) => guarded.length > 0 && guardedBy(guarded, { ...stubPrincipal, id });
  const revoke = intents.has('revoke-principal') ? principal : null;
  let actions: Action[] = planner.plan({
    alert,
    config,
    intents,
    principal: revoke,
    isGuarded,
    incidentId,
    now: options.now,
    ...(escalation ? { escalation } : {}),
  });

  const exceeded = blastRadiusExceeded(actions, config);
  if (exceeded) {
    escalation = `blast radius exceeded: ${exceeded}; nothing changed automatically`;
    actions = [escalateAction('a1', alert, escalation)];
  }
  if (actions.length === 0) return ignore('the playbook leaves nothing to do for this alert', playbook);

  const how = options.manual ? 'requested by hand' : `severity ${alert.severity} ≥ ${config.minSeverity}`;
  return {
    decision: 'contain',
    reason: `${playbook.description} (${alert.source} ${alert.type}, ${how})${escalation ? `; escalated: ${escalation}` : ''}`,
    incidentId,
    mode: config.mode,
    playbook: playbook.id,
    alert: summarizeAlert(alert),
    actions,
  };
}

/** Why the alert's principal must not be revoked by automation, or undefined when it may be. */
function whyNotRevocable(
  alert: Alert,
  config: Config,
  planner: CloudPlanner,
  guarded: readonly string[],
  isResponder: boolean,
): string | undefined {
  const p = alert.principal;
  if (!p) return undefined;
  if (isResponder) return `the actor ${p.id} is a responder identity: humans must judge`;
  if (guardedBy(guarded, p))
    return `the actor ${p.id} is a protected (break-glass) principal: humans must judge`;
  if (!p.certain) return `the actor's identity could not be resolved with certainty (${p.id})`;
  if (!planner.revocableKinds.includes(p.kind))
    return `a ${p.kind} principal cannot be revoked by automation (${p.id})`;
  if (!planner.inScope({ ...alert, account: p.account }, config)) {
    return `the actor ${p.id} belongs to account ${p.account}, which is not in scope`;
  }
  return undefined;
}

function blastRadiusExceeded(actions: readonly Action[], config: Config): string | undefined {
  const distinct = (category: Action['category']) =>
    new Set(actions.filter((a) => a.category === category).map((a) => a.target)).size;
  const principals = distinct('revoke');
  const stores = distinct('quarantine');
  const objects = actions.reduce(
    (n, a) => n + ('keys' in a.params ? (a.params.keys as unknown[]).length : 0),
    0,
  );
  const { maxPrincipals, maxStores, maxObjects } = config.limits;
  if (principals > maxPrincipals) return `${principals} principals > limits.maxPrincipals ${maxPrincipals}`;
  if (stores > maxStores) return `${stores} stores > limits.maxStores ${maxStores}`;
  if (objects > maxObjects) return `${objects} named objects > limits.maxObjects ${maxObjects}`;
  return undefined;
}

const stubPrincipal: Omit<PrincipalRef, 'id'> = { kind: 'unknown', account: '', aliases: [], certain: true };
