import { createHash } from 'node:crypto';
import type { Alert, AlertActor, ResourceRef } from '../alert.ts';
import { COMBINATIONS, type Combination, type Confidence, combine } from './combinations.ts';
import { type Signal, type SignalKind, signalOf } from './signals.ts';

/** A finding: the signals of one actor (and window) combined, as a core Alert with a confidence. */
export interface CorrelatedAlert extends Alert {
  confidence: Confidence;
  signals: string[];
  actor: AlertActor;
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]+)$/i;

/** The finding's actor as core names it: the rule alert's own when it names this one, else by its id's shape. */
export function actorRef(id: string, alert: Alert): AlertActor {
  if (alert.actor?.id === id) return alert.actor;
  if (id === 'anonymous') return { id, kind: 'anonymous' };
  if (id.startsWith('sas:')) return { id, kind: 'sas' };
  if (IP.test(id)) return { id, kind: 'ip' };
  if (id.includes(':assumed-role/')) return { id, kind: 'session' };
  if (alert.principal && id !== alert.principal.id) return { id, kind: 'user' };
  return { id, kind: 'principal' };
}

const MAX_RESOURCES = 40;

/**
 * The correlator: groups the rule alerts of one flush by actor (principal-wide facts such as a
 * first-ever reader join every actor of that principal), joins groups of the two clouds that share
 * a source address, and turns each group into one finding whose confidence is the best row of the
 * combination table its signals satisfy. The finding takes the type, playbook and principal of its
 * strongest rule alert (highest severity) and names every signal in words.
 */
export function correlate(
  ruleAlerts: readonly Alert[],
  table: readonly Combination[] = COMBINATIONS,
): CorrelatedAlert[] {
  return findingsOf(groupSignals(ruleAlerts.map(signalOf).filter((s): s is Signal => !!s)), table);
}

/**
 * The signals by actor (and cloud), in first-seen order; a principal-wide signal joins every group
 * holding a signal of its principal, else makes its own.
 */
export function groupSignals(signals: readonly Signal[]): Signal[][] {
  const groups = new Map<string, Signal[]>();
  const wide: Signal[] = [];
  for (const s of signals) {
    if (s.scope === 'principal') wide.push(s);
    else push(groups, `${s.alert.cloud}|${s.actor}`, s);
  }
  // Principal → the groups holding one of its signals, so a principal-wide signal finds the groups it
  // joins without walking every group (a million sessions of one fleet role, a first-reader each).
  const byPrincipal = new Map<string | undefined, Set<Signal[]>>();
  const index = (g: Signal[], id: string | undefined) => {
    const set = byPrincipal.get(id);
    if (set) set.add(g);
    else byPrincipal.set(id, new Set([g]));
  };
  for (const g of groups.values()) for (const x of g) index(g, x.alert.principal?.id);
  for (const s of wide) {
    const id = s.alert.principal?.id;
    const joined = byPrincipal.get(id);
    if (joined) for (const g of joined) g.push(s);
    else index(push(groups, `${s.alert.cloud}|principal|${id}`, s), id);
  }
  return [...groups.values()];
}

/** One finding per group, groups of the two clouds sharing an address merged first. */
export function findingsOf(
  groups: Signal[][],
  table: readonly Combination[] = COMBINATIONS,
): CorrelatedAlert[] {
  return mergeAcrossClouds(groups).map((g) => finding(g, table));
}

function push(groups: Map<string, Signal[]>, key: string, s: Signal): Signal[] {
  const g = groups.get(key);
  if (g) {
    g.push(s);
    return g;
  }
  const created = [s];
  groups.set(key, created);
  return created;
}

/** Groups of different clouds that share a source address become one, with a signal saying so. */
function mergeAcrossClouds(groups: Signal[][]): Signal[][] {
  const out: Signal[][] = [];
  const byAddress = new Map<string, Signal[]>();
  for (const g of groups) {
    const cloud = g[0]?.alert.cloud;
    const other = g
      .flatMap((s) => s.addresses)
      .map((a) => byAddress.get(a))
      .find((h) => h && h[0]?.alert.cloud !== cloud);
    if (other) {
      const address = g.flatMap((s) => s.addresses).find((a) => other.some((s) => s.addresses.includes(a)));
      const lead = g[0] as Signal;
      other.push(...g, {
        ...lead,
        kind: 'same-address-both-clouds',
        rule: lead.rule,
        count: 1,
        says: `the same address ${address} acted in both clouds`,
      });
      continue;
    }
    out.push(g);
    for (const a of g.flatMap((s) => s.addresses)) if (!byAddress.has(a)) byAddress.set(a, g);
  }
  return out;
}

function finding(group: Signal[], table: readonly Combination[]): CorrelatedAlert {
  const counts = new Map<SignalKind, number>();
  for (const s of group) counts.set(s.kind, (counts.get(s.kind) ?? 0) + s.count);
  const row = combine(counts, table);
  const confidence: Confidence = row?.confidence ?? 'low';
  const lead = group.reduce((a, b) => (b.alert.severity > a.alert.severity ? b : a));
  const alert = lead.alert;
  const dedupeKey = `${alert.dedupeKey}:${confidence}`;
  const resources: ResourceRef[] = [];
  const seen = new Set<string>();
  for (const s of group)
    for (const r of s.alert.resources)
      if (!seen.has(r.id) && resources.length < MAX_RESOURCES) {
        seen.add(r.id);
        resources.push(r);
      }
  const says = [...new Set(group.map((s) => s.says))];
  const otherClouds = group.filter((s) => s.alert.cloud !== alert.cloud).map((s) => s.alert.principal?.id);
  return {
    ...alert,
    id: createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32),
    dedupeKey,
    severity: Math.max(...group.map((s) => s.alert.severity)),
    resources,
    title: `${lead.actor}: ${row?.name ?? lead.kind}`,
    confidence,
    signals: says,
    actor: actorRef(lead.actor, lead.alert),
    context: {
      ...alert.context,
      combination: row?.name ?? null,
      rules: [...new Set(group.map((s) => s.rule))],
      signalKinds: [...counts.keys()],
      ...(otherClouds.length ? { otherCloudPrincipals: [...new Set(otherClouds)] } : {}),
    },
  };
}
