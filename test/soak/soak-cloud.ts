import type { Action } from '../../core/actions.ts';
import { TransientError } from '../../core/errors.ts';
import type { Applied, Executor, ExecutorRegistry } from '../../core/executor.ts';
import type { WriteOnceStore } from '../../core/journal.ts';

/** A seeded pseudo-random source (mulberry32): the same seed replays the same soak. */
export function seeded(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T,
  };
}
export type Rng = ReturnType<typeof seeded>;

/** Fault rates per call (each call draws once). */
export const FAULTS = { throttle: 0.3, serverError: 0.05, timeoutAfterChange: 0.05, death: 0.02 };
export type FaultKind = keyof typeof FAULTS;

/** Thrown inside a dead invocation's pending calls never: they hang, as a killed process would. */
const never = () => new Promise<never>(() => {});

/** One invocation of a function: it dies (every later call hangs) when killed or when a fault says so. */
export interface Invocation {
  id: number;
  dead: boolean;
  deadline: number;
  /** Resolves when the invocation dies. */
  died: Promise<void>;
  kill(): void;
}

export function invocation(id: number, deadline: number): Invocation {
  let resolve = () => {};
  const inv: Invocation = {
    id,
    dead: false,
    deadline,
    died: new Promise<void>((r) => {
      resolve = r;
    }),
    kill() {
      if (inv.dead) return;
      inv.dead = true;
      resolve();
    },
  };
  return inv;
}

/**
 * The soak's cloud: each (incident, action kind, target) holds a state string; the executors of
 * every action kind change it, record each real change (so doubled effects can be counted) and
 * refuse to touch a protected target. Faults are drawn per call, per invocation.
 */
/** The kinds whose before-state the claim records (no read, no before-entry on the first attempt). */
export const KNOWN_BEFORE: readonly string[] = ['revoke-role-sessions', 'revoke-user-sessions'];

export type Sabotage = 'not-idempotent' | 'wrong-before';

export function soakCloud(rng: Rng, protectedTargets: readonly string[], sabotage?: Sabotage) {
  const state = new Map<string, string>();
  /** Real transitions into the contained state, per incident/action key. */
  const effects = new Map<string, number>();
  const faults: Record<FaultKind, number> = { throttle: 0, serverError: 0, timeoutAfterChange: 0, death: 0 };
  const touched: string[] = [];
  const isProtected = (target: string) => protectedTargets.some((p) => target.includes(p));

  const key = (incidentId: string, action: Action) => `${incidentId}|${action.kind}|${action.target}`;

  /** Waits a few event-loop turns so concurrent invocations interleave. */
  const jitter = async () => {
    for (let i = rng.int(3); i > 0; i--) await new Promise((r) => setImmediate(r));
  };

  async function call<T>(inv: Invocation, mutation: boolean, change: () => T): Promise<T> {
    if (inv.dead) return never();
    await jitter();
    if (inv.dead) return never();
    const r = rng.next();
    const { throttle, serverError, death, timeoutAfterChange } = FAULTS;
    if (r < throttle) {
      faults.throttle++;
      throw new TransientError('Throttling: Rate exceeded (injected)');
    }
    if (r < throttle + serverError) {
      faults.serverError++;
      throw new TransientError('InternalError: 500 (injected)');
    }
    if (mutation && r < throttle + serverError + death) {
      // The process dies: the change may or may not have been made, nothing after it runs.
      faults.death++;
      if (rng.chance(0.5)) change();
      inv.kill();
      return never();
    }
    const value = change();
    if (mutation && r < throttle + serverError + death + timeoutAfterChange) {
      faults.timeoutAfterChange++;
      throw new TransientError('TimeoutError: socket hang up after the change (injected)');
    }
    return value;
  }

  function executors(inv: Invocation): Partial<ExecutorRegistry> {
    const executor: Executor<Action, { state: string | null }> = {
      permissions: ['soak:Act'],
      read(action, ctx) {
        return call(inv, false, () => ({
          state: sabotage === 'wrong-before' ? null : (state.get(key(ctx.incidentId, action)) ?? null),
        }));
      },
      apply(action, _before, ctx) {
        if (action.category !== 'escalate' && isProtected(action.target))
          touched.push(`${action.kind} ${action.target}`);
        const k = key(ctx.incidentId, action);
        const wanted = `contained:${ctx.incidentId}`;
        return call(inv, true, (): Applied => {
          if (state.get(k) === wanted && sabotage !== 'not-idempotent') return { outcome: 'already-applied' };
          state.set(k, wanted);
          effects.set(k, (effects.get(k) ?? 0) + 1);
          return { outcome: 'applied' };
        });
      },
      undo(action, before, ctx) {
        if (action.category !== 'escalate' && isProtected(action.target))
          touched.push(`${action.kind} ${action.target}`);
        const k = key(ctx.incidentId, action);
        return call(inv, true, (): Applied => {
          const was = before?.state ?? null;
          if (was === null) state.delete(k);
          else state.set(k, was);
          return { outcome: 'applied' };
        });
      },
    };
    // Session revocations write a policy unique to the incident: nothing was there before the claim
    // (`knownBefore`), as on AWS. Every other kind a plan can hold gets the plain executor.
    const claimed = { ...executor, knownBefore: () => ({ state: null }) };
    return new Proxy({} as Partial<ExecutorRegistry>, {
      get: (_t, prop) =>
        typeof prop !== 'string' ? undefined : KNOWN_BEFORE.includes(prop) ? claimed : executor,
      ownKeys: () => [],
    });
  }

  /** The journal store as one invocation sees it: faults on writes too, and death mid-write. */
  function store(inv: Invocation, inner: WriteOnceStore): WriteOnceStore {
    return {
      create: async (k, body) => {
        if (inv.dead) return never();
        await jitter();
        if (inv.dead) return never();
        // Journal writes are rarer to fail (S3/Blob PUT): throttling only, before or after the write.
        const r = rng.next();
        if (r < 0.03) {
          faults.throttle++;
          throw new TransientError('SlowDown: Please reduce your request rate (injected)');
        }
        const created = await inner.create(k, body);
        if (r < 0.04) {
          faults.timeoutAfterChange++;
          throw new TransientError('TimeoutError: the write was made, the answer lost (injected)');
        }
        return created;
      },
      get: async (k) => (inv.dead ? never() : inner.get(k)),
      list: async (p) => (inv.dead ? never() : inner.list(p)),
    };
  }

  return {
    state,
    effects,
    faults,
    executors,
    store,
    touched,
    key,
    seedState(incidentId: string, action: Action, value: string) {
      state.set(key(incidentId, action), value);
    },
  };
}
