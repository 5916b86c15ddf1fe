import type { Cloud } from '../alert.ts';
import type { Config } from '../config.ts';
import type { PostureCheck, PostureContext, ReadPlanner } from './check.ts';
import {
  type OperationAnswers,
  type PostureScope,
  type PostureSnapshot,
  type Read,
  SNAPSHOT_VERSION,
  snapshotView,
} from './snapshot.ts';

/** Makes one read against the cloud and returns what to store: the response, its pages, or a StoredError. */
export type PerformRead = (read: Read) => Promise<unknown>;

export interface CollectOptions {
  cloud: Cloud;
  config: Config;
  scope: PostureScope;
  now: Date;
  /** Reads in flight at once (the SDKs retry throttling themselves). */
  concurrency?: number;
  /** Reads that depend on earlier answers (trail → its selectors) come in rounds; this bounds them. */
  maxRounds?: number;
}

/** The reads a check needs right now: discovery, then each subject's (skipping what cannot be known yet). */
export function readsOf(check: PostureCheck | ReadPlanner, ctx: PostureContext): Read[] {
  // An answer a read depends on may not be there yet: what cannot be asked now is asked next round.
  const attempt = <T>(plan: () => T[]): T[] => {
    try {
      return plan();
    } catch {
      return [];
    }
  };
  if (!('evaluate' in check)) return attempt(() => check.reads(ctx));
  return [
    ...attempt(() => check.discover?.(ctx) ?? []),
    ...attempt(() => check.subjects(ctx)).flatMap((s) => attempt(() => check.reads(s, ctx))),
  ];
}

/**
 * The live half of a posture run, cloud-blind: asks every check which reads it needs, makes those
 * not yet answered through `perform`, and repeats while new reads appear (a trail list leads to each
 * trail's selectors). Evaluation then runs on the snapshot exactly as it would offline.
 *
 * @example
 * const snapshot = await collectSnapshot(awsPostureChecks, performAwsRead(clients), { cloud: 'aws', config, scope, now });
 */
export async function collectSnapshot(
  planners: readonly (PostureCheck | ReadPlanner)[],
  perform: PerformRead,
  options: CollectOptions,
): Promise<PostureSnapshot> {
  const answers: OperationAnswers = {};
  const snapshot: PostureSnapshot = {
    tourniquetPosture: SNAPSHOT_VERSION,
    takenAt: options.now.toISOString(),
    scope: options.scope,
    [options.cloud]: answers,
  };
  const ctx: PostureContext = {
    config: options.config,
    scope: options.scope,
    view: snapshotView(snapshot, options.cloud),
  };
  const mine = planners.filter((p) => p.cloud === options.cloud);
  for (let round = 0; round < (options.maxRounds ?? 6); round++) {
    const pending = new Map<string, Read>();
    for (const read of mine.flatMap((p) => readsOf(p, ctx))) {
      const id = `${read.op}\u0000${read.key}`;
      if (!ctx.view.has(read.op, read.key) && !pending.has(id)) pending.set(id, read);
    }
    if (pending.size === 0) break;
    await inPool([...pending.values()], options.concurrency ?? 8, async (read) => {
      const stored = await perform(read);
      answers[read.op] ??= {};
      (answers[read.op] as Record<string, unknown>)[read.key] = stored;
    });
  }
  return snapshot;
}

async function inPool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
