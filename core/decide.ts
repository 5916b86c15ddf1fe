import { type Action, type Decision, summarizeAlert } from './actions.ts';
import type { Alert, PrincipalRef } from './alert.ts';
import { type CloudPack, packFor } from './cloud-pack.ts';
import type { Config } from './config.ts';
import { escalateAction } from './escalate.ts';
import { incidentIdFor } from './incident-id.ts';
import { playbookTable } from './playbooks/index.ts';
import { findPlaybook, type Intent, type Playbook } from './playbooks/playbook.ts';
import { guardedBy } from './principal-match.ts';

export interface DecideOptions {
  now: Date;
  /** A by-hand request: the incident id is the responder's, and the severity threshold does not apply. */
  manual?: { incidentId: string };
  /** The incident id to use instead of the one derived from the alert (a new generation after release). */
  incidentId?: string;
  /** The clouds this deployment knows (packs/index.ts): their planners, playbooks and guarded principals. */
  packs: readonly CloudPack[];
  /** The playbook table to use instead of the packs' (`playbookTable(packs)`). */
  playbooks?: readonly Playbook[];
}

/**
 * Decides what to do about one alert. Every guardrail runs here, before anything can act:
 * scope, sample findings, playbook, severity, benign activity, responders and break-glass,
 * unrevocable or uncertain identities, and the blast-radius limits.
 *
 * @example
 * // examples/usage/contain-one-alert.ts
 * const decision = decide(alert, config, { now: new Date(), packs: PACKS });
 * if (decision.decision !== 'contain') return { decision };
 * const { report, failure } = await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
 */
export function decide(alert: Alert, config: Config, options: DecideOptions): Decision {
  const ignore = (reason: string, playbook?: Playbook): Decision => ({
    decision: 'ignore',
    reason,
    mode: config.mode,
    ...(playbook ? { playbook: playbook.id } : {}),
    alert: summarizeAlert(alert),
    actions: [],
  });

  if (!config[alert.cloud]) return ignore(`no "${alert.cloud}" section in the configuration`);
  const pack = packFor(options.packs, alert.cloud);
  if (!pack) return ignore(`no cloud pack for "${alert.cloud}" in this deployment`);
  if (!pack.inScope(alert, config)) return ignore(`account ${alert.account} is not in scope`);
  if (alert.sample) return ignore('sample finding');
  const playbook = findPlaybook(alert, options.playbooks ?? playbookTable(options.packs));
  if (!playbook) return ignore(`no playbook for ${alert.source} ${alert.type}`);
  if (!options.manual && alert.severity < config.minSeverity) {
    return ignore(`severity ${alert.severity} is below minSeverity ${config.minSeverity}`, playbook);
  }
  const benign = playbook.benign?.(alert, config);
  if (benign) return ignore(`not a threat by itself: ${benign}`, playbook);

  const responders = pack.responders(config);
  const guarded = [...responders, ...pack.protectedPrincipals(config)];
  const principal = alert.principal;
  const isResponder = !!principal && guardedBy(responders, principal);
  if (isResponder && playbook.onResponder === 'ignore') {
    return ignore(`the actor ${principal.id} is a responder`, playbook);
  }

  const intents = new Set<Intent>(playbook.intents);
  let escalation: string | undefined;
  if (intents.has('revoke-principal')) {
    const held = whyNotRevocable(alert, config, pack, guarded, isResponder);
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
  let actions: Action[] = pack.plan({
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
  pack: CloudPack,
  guarded: readonly string[],
  isResponder: boolean,
): string | undefined {
  const p = alert.principal;
  if (!p) return undefined;
  if (isResponder) return `the actor ${p.id} is a responder identity: humans must judge`;
  if (guardedBy(guarded, p))
    return `the actor ${p.id} is a protected (break-glass) principal: humans must judge`;
  if (!p.certain) return `the actor's identity could not be resolved with certainty (${p.id})`;
  if (!pack.revocableKinds.includes(p.kind))
    return `a ${p.kind} principal cannot be revoked by automation (${p.id})`;
  if (!pack.inScope({ ...alert, account: p.account }, config)) {
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
