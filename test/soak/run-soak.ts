import { readFileSync } from 'node:fs';
import type { Decision } from '../../core/actions.ts';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { IncidentInProgressError, IncidentNotFoundError } from '../../core/errors.ts';
import { actionStatus, incidentJournal } from '../../core/journal.ts';
import { verifyChain } from '../../core/journal-chain.ts';
import { mapLimit } from '../../core/map-limit.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { type RespondDeps, respond } from '../../core/respond.ts';
import { parseDefenderAlert } from '../../functions-azure/events/defender-alert.ts';
import { PACKS } from '../../packs/index.ts';
import { ATTACKER, azureSection, BREAK_GLASS, RESPONDER, SUB } from '../azure/support/config.ts';
import { exfiltrationAlert, role, user } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import {
  type Invocation,
  invocation,
  KNOWN_BEFORE,
  type Rng,
  type Sabotage,
  seeded,
  soakCloud,
} from './soak-cloud.ts';

export interface SoakFigures {
  seed: number;
  incidents: number;
  aws: number;
  azure: number;
  deliveries: number;
  releases: number;
  injectedFaults: number;
  faults: Record<string, number>;
  actions: number;
  lost: number;
  doubled: number;
  inconsistentJournals: number;
  wrongRestores: number;
  protectedTouched: number;
  lateChanges: number;
  problems: string[];
}

export const T0 = Date.parse('2026-11-25T10:05:00Z');
export const MINUTE = 60_000;
export const MAX_DELIVERIES = 40;
export const noWait = { attempts: 4, baseMs: 1, capMs: 1, sleep: async () => {} };
export const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

interface Incident {
  alert: Alert;
  decision: Decision & { incidentId: string };
  /** The state each releasable action's target had before the incident (what release must restore). */
  original: Map<string, string | null>;
  reported: Map<string, string>;
  released?: Map<string, string>;
}

/** The configuration of both clouds, enforcing, as the tests' README examples. */
export function soakConfig(): Config {
  return awsConfig({ azure: azureSection() });
}

const defender = JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8'));

export function awsAlert(rng: Rng, n: number): Alert {
  const id = `${n.toString(16).padStart(8, '0')}soak${rng.int(1e9).toString(16)}`;
  const who = rng.chance(0.5) ? role(`etl-job-${n}`) : user(`dev-${n}`, `AKIA${String(n).padStart(16, '0')}`);
  // Now and then the alert names a responder or the break-glass user: nothing may touch them.
  const principal = rng.chance(0.05) ? (rng.chance(0.5) ? role('ir-responder') : user('breakglass')) : who;
  return exfiltrationAlert({
    id,
    dedupeKey: `aws:guardduty:111122223333:us-east-1:${id}`,
    principal,
    resources: [
      { kind: 'bucket', id: `arn:aws:s3:::${rng.pick(['models-prod', 'training-data'])}` },
      {
        kind: 'object',
        id: `s3://models-prod/weights/model-${n}.safetensors`,
        parent: 'arn:aws:s3:::models-prod',
      },
    ],
  });
}

export function azureAlert(rng: Rng, n: number): Alert {
  const raw = structuredClone(defender);
  const id = `2517538088322968242_soak-${n}-${rng.int(1e9)}`;
  raw.id = raw.id.replace(raw.name, id);
  raw.name = id;
  raw.properties.systemAlertId = id;
  const parsed = parseDefenderAlert(raw, 'event');
  if (parsed.kind !== 'alerts') throw new Error('the Defender fixture no longer parses');
  const alert = parsed.alerts[0] as Alert;
  if (!rng.chance(0.5)) return alert;
  // A certain service principal (as an Event Grid listKeys event gives): revocation joins the plan.
  const oid = rng.chance(0.05)
    ? rng.pick([RESPONDER, BREAK_GLASS])
    : ATTACKER.replace(/^.{8}/, n.toString(16).padStart(8, '0'));
  return {
    ...alert,
    principal: {
      id: oid,
      kind: 'service-principal',
      account: SUB,
      name: `sp-${n}`,
      aliases: [],
      certain: true,
    },
  };
}

/**
 * Runs `incidents` incidents (mixed AWS and Azure) through respond() and release() over the soak
 * cloud with faults in every call, then checks the invariants. Never throws for a broken
 * invariant: the figures (and `problems`) say what broke.
 */
export async function runSoak(options: {
  seed: number;
  incidents: number;
  /** Breaks the soak cloud on purpose, to show the invariants catch it. */
  sabotage?: Sabotage;
}): Promise<SoakFigures> {
  const rng = seeded(options.seed);
  const config = soakConfig();
  const protectedIds = [
    ...(config.aws?.responders ?? []),
    ...(config.aws?.protectedPrincipals ?? []),
    ...(config.azure?.responders ?? []),
    ...(config.azure?.protectedPrincipals ?? []),
  ];
  const cloud = soakCloud(
    rng,
    protectedIds.map((p) => p.split(':').pop() ?? p),
    options.sabotage,
  );
  const inner = memoryStore();
  const problems: string[] = [];
  let clock = T0;
  let nextInvocation = 0;
  const live = new Set<Invocation>();
  let deliveries = 0;
  let releases = 0;

  const start = () => {
    const inv = invocation(++nextInvocation, clock + 15 * MINUTE);
    live.add(inv);
    return inv;
  };
  /** Time passes beyond every live invocation's deadline: the platform has killed them all. */
  const advance = () => {
    clock += 16 * MINUTE;
    for (const inv of live) if (inv.deadline <= clock) inv.kill();
  };
  const depsOf = (inv: Invocation): RespondDeps => ({
    executors: cloud.executors(inv),
    journal: incidentJournal(cloud.store(inv, inner)),
    packs: PACKS,
    config,
    now: () => new Date(clock),
    deadline: new Date(inv.deadline),
    retry: noWait,
  });

  type Ran<R> = { kind: 'ran'; value: R } | { kind: 'threw'; error: unknown } | { kind: 'died' };
  async function invoke<R>(fn: (deps: RespondDeps) => Promise<R>): Promise<Ran<R>> {
    const inv = start();
    try {
      return await Promise.race([
        fn(depsOf(inv)).then(
          (value): Ran<R> => ({ kind: 'ran', value }),
          (error): Ran<R> => ({ kind: 'threw', error }),
        ),
        inv.died.then((): Ran<R> => ({ kind: 'died' })),
      ]);
    } finally {
      live.delete(inv);
    }
  }

  /** One delivery stream of an incident: delivered again until a delivery settles. */
  async function deliver(incident: Incident, delay: number) {
    await turns(delay);
    let busy = 0;
    const seen: string[] = [];
    for (let n = 0; n < MAX_DELIVERIES; n++) {
      deliveries++;
      const ran = await invoke((deps) =>
        respond({ decision: incident.decision, alert: incident.alert, trigger: { kind: 'alert' } }, deps),
      );
      if (ran.kind === 'ran' && !ran.value.failure) {
        for (const r of ran.value.report.results) incident.reported.set(r.actionId, r.outcome);
        return;
      }
      if (ran.kind === 'ran' && ran.value.failure) {
        for (const r of ran.value.report.results) incident.reported.set(r.actionId, r.outcome);
      }
      seen.push(
        ran.kind === 'died'
          ? 'died'
          : ran.kind === 'threw'
            ? String(ran.error).slice(0, 90)
            : String(ran.value.failure).slice(0, 90),
      );
      const inProgress =
        (ran.kind === 'threw' && ran.error instanceof IncidentInProgressError) ||
        (ran.kind === 'ran' && ran.value.failure instanceof IncidentInProgressError);
      if (ran.kind === 'threw' && !inProgress && !isInjected(ran.error))
        problems.push(`${incident.decision.incidentId}: respond threw ${String(ran.error)}`);
      if (inProgress || ran.kind === 'died') {
        // Someone holds it (or held it and died): wait a little, then let its deadline pass.
        if (++busy >= 3) {
          advance();
          busy = 0;
        } else await turns(20);
      }
    }
    problems.push(
      `${incident.decision.incidentId}: not settled after ${MAX_DELIVERIES} deliveries: ${[...new Set(seen)].join(' | ')}`,
    );
  }

  async function releaseIt(incident: Incident) {
    let busy = 0;
    for (let n = 0; n < MAX_DELIVERIES; n++) {
      releases++;
      const ran = await invoke((deps) =>
        release({ incidentId: incident.decision.incidentId, approver: 'soak', reason: 'soak' }, deps),
      );
      if (ran.kind === 'ran' && !ran.value.failure) {
        incident.released = new Map(ran.value.report.results.map((r) => [r.actionId, r.outcome]));
        return;
      }
      if (ran.kind === 'threw' && !expectedRefusal(ran.error) && !isInjected(ran.error))
        problems.push(`${incident.decision.incidentId}: release threw ${String(ran.error)}`);
      if (++busy >= 3) {
        advance();
        busy = 0;
      } else await turns(20);
    }
    problems.push(`${incident.decision.incidentId}: release not done after ${MAX_DELIVERIES} tries`);
  }

  // The incidents: half AWS, half Azure, each with its own principal and alert id.
  const incidents: Incident[] = [];
  let aws = 0;
  let azure = 0;
  for (let n = 0; incidents.length < options.incidents; n++) {
    const isAws = rng.chance(0.5);
    const alert = isAws ? awsAlert(rng, n) : azureAlert(rng, n);
    const decision = decide(alert, config, { packs: PACKS, now: new Date(T0) });
    if (decision.decision !== 'contain' || !decision.incidentId) continue;
    const original = new Map<string, string | null>();
    for (const action of decision.actions) {
      const value =
        !KNOWN_BEFORE.includes(action.kind) && rng.chance(0.5) ? `original-${rng.int(1e6)}` : null;
      if (value !== null) cloud.seedState(decision.incidentId, action, value);
      original.set(action.id, value);
    }
    if (isAws) aws++;
    else azure++;
    incidents.push({ alert, decision: decision as Incident['decision'], original, reported: new Map() });
  }

  // Every incident delivered 1–4 times, concurrently, in random order; some released while a late
  // duplicate of theirs is still arriving.
  const racing = new Set(incidents.filter(() => rng.chance(0.3)));
  await mapLimit(incidents, 12, async (incident) => {
    const copies = 1 + rng.int(4);
    const streams = Array.from({ length: copies }, () => deliver(incident, rng.int(200)));
    // A release arrives while deliveries (and their retries) are still running, or just after.
    if (racing.has(incident)) streams.push(turns(rng.int(300)).then(() => releaseIt(incident)));
    await Promise.all(streams);
  });
  for (const inv of live) inv.kill();

  // The invariants.
  const effectsBeforeLate = new Map(cloud.effects);
  const stateBeforeLate = new Map(cloud.state);
  let lost = 0;
  let doubled = 0;
  let inconsistent = 0;
  let wrongRestores = 0;
  let actions = 0;
  const journal = incidentJournal(inner);
  const at = new Date(clock + 60 * MINUTE);
  for (const incident of incidents) {
    const id = incident.decision.incidentId;
    const state = await journal.load(id);
    if (!state) {
      problems.push(`${id}: no journal`);
      inconsistent++;
      continue;
    }
    let bad = state.anomalies.length > 0 || verifyChain(state.entries).status === 'broken';
    for (const action of incident.decision.actions) {
      actions++;
      const history = state.phases.contain.get(action.id);
      const status = actionStatus(action, history, at);
      const reported = incident.reported.get(action.id);
      const releasedAs = incident.released?.get(action.id);
      const settled =
        status.status === 'done' || reported === 'failed' || (releasedAs && releasedAs !== undefined);
      if (!settled) {
        lost++;
        problems.push(
          `${id}/${action.id} (${action.kind}): ${status.status}, reported ${reported ?? 'nothing'}`,
        );
      }
      const k = cloud.key(id, action);
      if ((cloud.effects.get(k) ?? 0) > 1) {
        doubled++;
        problems.push(`${id}/${action.id} (${action.kind}): applied ${cloud.effects.get(k)} times`);
      }
      for (const phase of ['contain', 'release'] as const) {
        for (const a of state.phases[phase].get(action.id)?.attempts ?? []) {
          if (
            a.after &&
            !a.before &&
            !(phase === 'contain' && a.attempt === 1 && state.record.befores?.[action.id])
          ) {
            bad = true;
            problems.push(
              `${id}/${action.id}: ${phase} attempt ${a.attempt} has an after-entry and no before-entry`,
            );
          }
          if (
            a.before &&
            (!('before' in a.before) || (phase === 'contain' && a.before.inverse !== action.inverse))
          ) {
            bad = true;
            problems.push(
              `${id}/${action.id}: ${phase} attempt ${a.attempt} lacks its before-state or inverse`,
            );
          }
        }
      }
      // Contained (recorded before-state = the original) and, when released, restored exactly.
      const first = status.status === 'done' || status.status === 'retry' ? status.firstBefore : undefined;
      if (
        first !== undefined &&
        ((first as { state: string | null }).state ?? null) !== incident.original.get(action.id)
      ) {
        bad = true;
        problems.push(
          `${id}/${action.id}: recorded before-state ${JSON.stringify(first)}, was ${incident.original.get(action.id)}`,
        );
      }
      const releasable = action.category !== 'snapshot' && action.category !== 'escalate';
      if (incident.released && releasable && first !== undefined) {
        const now = cloud.state.get(k) ?? null;
        if (now !== incident.original.get(action.id)) {
          wrongRestores++;
          problems.push(
            `${id}/${action.id} (${action.kind}): after release ${now}, recorded ${incident.original.get(action.id)}`,
          );
        }
      }
    }
    if (bad) inconsistent++;
  }

  // A late duplicate of every released incident changes nothing.
  for (const incident of incidents.filter((i) => i.released)) {
    await invoke((deps) =>
      respond({ decision: incident.decision, alert: incident.alert, trigger: { kind: 'alert' } }, deps),
    );
    deliveries++;
  }
  let lateChanges = 0;
  for (const [k, v] of cloud.effects) if (effectsBeforeLate.get(k) !== v) lateChanges++;
  for (const [k, v] of cloud.state)
    if (stateBeforeLate.get(k) !== v && releasedKey(k, incidents)) lateChanges++;

  const faults = { ...cloud.faults };
  return {
    seed: options.seed,
    incidents: incidents.length,
    aws,
    azure,
    deliveries,
    releases,
    injectedFaults: Object.values(faults).reduce((a, b) => a + b, 0),
    faults,
    actions,
    lost,
    doubled,
    inconsistentJournals: inconsistent,
    wrongRestores,
    protectedTouched: cloud.touched.length,
    lateChanges,
    problems: [...problems, ...cloud.touched.map((t) => `protected principal touched: ${t}`)],
  };
}

function releasedKey(key: string, incidents: Incident[]) {
  const id = key.split('|')[0];
  return incidents.some((i) => i.released && i.decision.incidentId === id);
}

/** Release refuses while containment runs, and before the incident's claim exists (a race). */
function expectedRefusal(error: unknown) {
  return error instanceof IncidentInProgressError || error instanceof IncidentNotFoundError;
}

function isInjected(error: unknown) {
  return /\(injected\)/.test(String((error as Error)?.message ?? error));
}
