import { type Action, type Decision, summarizeAlert } from './actions.ts';
import type { Alert, PrincipalRef } from './alert.ts';
import { type CloudPack, packFor } from './cloud-pack.ts';
import type { Config } from './config.ts';
import { escalateAction } from './escalate.ts';
import { incidentIdFor } from './incident-id.ts';
import { lowTrustChannel } from './low-trust.ts';
import { forcedStores } from './manual-command.ts';
import { playbookTable } from './playbooks/index.ts';
import { findPlaybook, type Intent, type Playbook } from './playbooks/playbook.ts';
import { guardedBy, guardedByAppId } from './principal-match.ts';
import { describeThreshold, severityThreshold } from './severity-threshold.ts';

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
  // Detector findings: the correlation's confidence replaces the severity threshold.
  const confidence = alert.source === 'detector' && !options.manual ? alert.confidence : undefined;
  if (confidence === 'low') return ignore('low confidence: kept as a signal only', playbook);
  const threshold = severityThreshold(alert, config, playbook);
  if (!options.manual && !confidence && alert.severity < threshold.value) {
    return ignore(
      `severity ${alert.severity} is below ${describeThreshold(threshold, alert.type)}`,
      playbook,
    );
  }
  const benign = playbook.benign?.(alert, config);
  if (benign) return ignore(`not a threat by itself: ${benign}`, playbook);

  const responders = pack.responders(config);
  const guarded = [...responders, ...pack.protectedPrincipals(config)];
  const principal = alert.principal;
  // Only a certain responder is Tourniquet's own work: an oid the evidence contradicts is escalated.
  const isResponder = !!principal?.certain && guardedBy(responders, principal);
  if (isResponder && playbook.onResponder === 'ignore') {
    return ignore(`the actor ${named(principal, responders)} is a responder`, playbook);
  }

  const intents = new Set<Intent>(playbook.intents);
  // A channel anyone with a little access can write to asks humans and changes nothing.
  const distrust = lowTrustChannel(alert, config);
  if (distrust) for (const i of [...intents]) if (i !== 'escalate') intents.delete(i);
  const held: string[] = [];
  if (alert.source === 'detector' && !options.manual && alert.confidence !== 'high') {
    // Only high confidence contains: anything less is pinned as evidence and put before humans.
    for (const i of ['revoke-principal', 'contain-resources', 'contain-inference'] as const)
      intents.delete(i);
    intents.add('preserve-evidence');
    intents.add('escalate');
    held.push(`confidence ${alert.confidence ?? 'not rated'}, not high: humans must judge`);
  }
  const revocable: PrincipalRef[] = [];
  if (intents.has('revoke-principal') || intents.has('contain-inference')) {
    const hold = playbook.holdActor?.(alert, config);
    const candidates = actorsOf(alert);
    if (hold && candidates.length) held.push(hold);
    for (const p of hold ? [] : candidates) {
      const why = whyNotRevocable(alert, p, config, pack, guarded, guardedBy(responders, p));
      if (why) held.push(why);
      else revocable.push(p);
    }
    // Quarantine cannot stop an exempt principal and would only disrupt everyone else.
    const allExempt = candidates.length > 0 && candidates.every((p) => guardedBy(guarded, p));
    if (allExempt) intents.delete('contain-resources');
  }
  let escalation = distrust ?? (held.length ? held.join('; ') : undefined);

  const incidentId = options.manual?.incidentId ?? options.incidentId ?? incidentIdFor(alert);
  const isGuarded = (id: string) => guarded.length > 0 && guardedBy(guarded, { ...stubPrincipal, id });
  const [first = null, ...others] = revocable;
  const plan = (want: ReadonlySet<Intent>) =>
    pack.plan({
      alert,
      config,
      intents: want,
      ...(want.size < intents.size ? { withheld: new Set([...intents].filter((i) => !want.has(i))) } : {}),
      principal: first,
      ...(others.length ? { actors: others } : {}),
      isGuarded,
      incidentId,
      now: options.now,
      ...(escalation ? { escalation } : {}),
    });
  let actions: Action[] = plan(intents);

  // Each limit holds for its own part: too many stores or objects leave the quarantine and the
  // evidence to humans, never the revocation of the attackers (within limits.maxPrincipals).
  let exceeded = blastRadiusExceeded(actions, config);
  if (exceeded && exceeded.part !== 'principals') {
    const stores = exceeded.part === 'stores';
    const dropped: Intent[] = [
      'preserve-evidence',
      'copy-evidence',
      ...(stores ? ['contain-resources' as const] : []),
    ];
    const left = stores ? 'quarantine and evidence left to humans' : 'evidence left to humans';
    escalation = [escalation, `blast radius exceeded: ${exceeded.text}; ${left}`].filter(Boolean).join('; ');
    actions = plan(new Set([...intents].filter((i) => !dropped.includes(i))));
    exceeded = blastRadiusExceeded(actions, config);
  }
  if (exceeded) {
    escalation = `blast radius exceeded: ${exceeded.text}; nothing changed automatically`;
    actions = [escalateAction('a1', alert, escalation)];
  }
  if (actions.length === 0) return ignore('the playbook leaves nothing to do for this alert', playbook);

  const how = options.manual
    ? 'requested by hand'
    : confidence
      ? `confidence ${confidence}`
      : `severity ${alert.severity} ≥ ${threshold.value}`;
  const forced = forcedStores(alert);
  const unlisted = forced.length
    ? `; not configured assets, acted on by hand (--force-unlisted): ${forced.join(', ')}`
    : '';
  return {
    decision: 'contain',
    reason: `${playbook.description} (${alert.source} ${alert.type}, ${how})${unlisted}${escalation ? `; escalated: ${escalation}` : ''}`,
    incidentId,
    mode: config.mode,
    playbook: playbook.id,
    alert: summarizeAlert(alert),
    actions,
  };
}

/** Why one of the alert's actors must not be revoked by automation, or undefined when it may be. */
function whyNotRevocable(
  alert: Alert,
  p: PrincipalRef,
  config: Config,
  pack: CloudPack,
  guarded: readonly string[],
  isResponder: boolean,
): string | undefined {
  if (!p.certain) return `the actor's identity could not be resolved with certainty (${p.id})`;
  if (isResponder) return `the actor ${named(p, guarded)} is a responder identity: humans must judge`;
  if (guardedBy(guarded, p))
    return `the actor ${named(p, guarded)} is a protected (break-glass) principal: humans must judge`;
  if (!pack.revocableKinds.includes(p.kind))
    return `a ${p.kind} principal cannot be revoked by automation (${p.id})`;
  if (!pack.inScope({ ...alert, account: p.account }, config)) {
    return `the actor ${p.id} belongs to account ${p.account}, which is not in scope`;
  }
  return undefined;
}

/** The actor's id, and when the configuration named it by application (client) id, that too. */
function named(p: PrincipalRef, guarded: readonly string[]): string {
  const appId = guardedByAppId(guarded, p);
  return appId ? `${p.id} (matched by the application (client) id ${appId} in the configuration)` : p.id;
}

/** The principal and every further actor the alert names, each once. */
function actorsOf(alert: Alert): PrincipalRef[] {
  const all = [alert.principal, ...(alert.actors ?? [])].filter((p): p is PrincipalRef => !!p);
  return all.filter((p, i) => all.findIndex((q) => q.id === p.id) === i);
}

function blastRadiusExceeded(
  actions: readonly Action[],
  config: Config,
): { part: 'principals' | 'stores' | 'objects'; text: string } | undefined {
  const distinct = (category: Action['category']) =>
    new Set(actions.filter((a) => a.category === category).map((a) => a.target)).size;
  const principals = distinct('revoke');
  const stores = distinct('quarantine');
  const objects = actions.reduce(
    (n, a) => n + ('keys' in a.params ? (a.params.keys as unknown[]).length : 0),
    0,
  );
  const { maxPrincipals, maxStores, maxObjects } = config.limits;
  if (principals > maxPrincipals)
    return { part: 'principals', text: `${principals} principals > limits.maxPrincipals ${maxPrincipals}` };
  if (stores > maxStores) return { part: 'stores', text: `${stores} stores > limits.maxStores ${maxStores}` };
  if (objects > maxObjects)
    return { part: 'objects', text: `${objects} named objects > limits.maxObjects ${maxObjects}` };
  return undefined;
}

const stubPrincipal: Omit<PrincipalRef, 'id'> = { kind: 'unknown', account: '', aliases: [], certain: true };
