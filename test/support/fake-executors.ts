import type { Action } from '../../core/actions.ts';
import { TransientError } from '../../core/errors.ts';
import type { Applied, ExecContext, Executor, ExecutorRegistry } from '../../core/executor.ts';

/**
 * A tiny cloud in memory: each action target holds a state string. Executors record every call so
 * tests can count effects; `failures` makes the next N applies of a kind throw.
 */
export function fakeCloud(options: { claimedKinds?: readonly string[] } = {}) {
  const state = new Map<string, string>();
  const calls: { op: 'read' | 'apply' | 'undo'; kind: string; target: string }[] = [];
  const failures = new Map<string, { times: number; error: () => Error }>();

  const executor: Executor<Action, { state: string | undefined }> = {
    permissions: ['fake:Act'],
    async read(action) {
      calls.push({ op: 'read', kind: action.kind, target: action.target });
      return { state: state.get(key(action)) };
    },
    async apply(action, before, ctx: ExecContext): Promise<Applied> {
      calls.push({ op: 'apply', kind: action.kind, target: action.target });
      const failure = failures.get(action.kind);
      if (failure && failure.times > 0) {
        failure.times--;
        throw failure.error();
      }
      const wanted = `${action.kind}:${ctx.incidentId}`;
      if (before.state === wanted) return { outcome: 'already-applied' };
      state.set(key(action), wanted);
      return { outcome: 'applied', details: { deps: [...ctx.results.keys()] } };
    },
    async undo(action, before) {
      calls.push({ op: 'undo', kind: action.kind, target: action.target });
      if (before.state === undefined) state.delete(key(action));
      else state.set(key(action), before.state);
      return { outcome: 'applied' };
    },
  };
  const kinds = [
    'revoke-role-sessions',
    'revoke-user-sessions',
    'deactivate-access-keys',
    'quarantine-bucket',
    'pin-objects',
    'copy-evidence',
    'deny-inference',
    'deactivate-bedrock-api-keys',
    'escalate',
  ] as const;
  // Kinds whose before-state is known by construction (nothing there before the claim), as AWS's
  // session revocations: respond records it in the claim and the first attempt does not read.
  const claimed = { ...executor, knownBefore: () => ({ state: undefined }) };
  const executors = Object.fromEntries(
    kinds.map((k) => [k, options.claimedKinds?.includes(k) ? claimed : executor]),
  ) as unknown as Partial<ExecutorRegistry>;
  return {
    state,
    calls,
    executors,
    mutations: () => calls.filter((c) => c.op !== 'read'),
    failNext(
      kind: string,
      times: number,
      error: () => Error = () => new TransientError('Throttling: Rate exceeded'),
    ) {
      failures.set(kind, { times, error });
    },
  };
}

function key(action: Action) {
  return `${action.kind}|${action.target}`;
}

/** A retry policy that does not wait, for tests. */
export const instantRetry = { attempts: 4, baseMs: 1, capMs: 1, sleep: async () => {} };
