import { writeHeapSnapshot } from 'node:v8';
import type { WindowStore } from '../core/detect/window-store.ts';
import { ADD_CONCURRENCY, mapConcurrent } from '../core/detect/window-store.ts';

// What bench/detect-actors.ts feeds and measures with: the slow fake store and the CloudTrail log.

export const ACCOUNT = '111122223333';
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

/**
 * A store that keeps nothing (the real one is remote) and waits `ms` per call or per batch. It
 * counts the calls and items on the actors' baseline keys (issue 7) and the time during which one
 * of them was in flight: the baseline's rounds are awaited on their own, so that is their share.
 */
export function fakeStore(ms: number, batch?: number) {
  const wait = () => new Promise((r) => setTimeout(r, ms));
  const baseline = { calls: 0, items: 0, rounds: 0, seconds: 0 };
  let inFlight = 0;
  let since = 0;
  const timed = async <T>(isBaseline: boolean, items: number, fn: () => Promise<T>) => {
    store.calls++;
    if (!isBaseline) return fn();
    baseline.calls++;
    baseline.items += items;
    if (inFlight++ === 0) since = performance.now();
    try {
      return await fn();
    } finally {
      if (--inFlight === 0) baseline.seconds += (performance.now() - since) / 1000;
    }
  };
  const isBaselineKey = (key: string) => key.startsWith('baseline');
  const store = {
    calls: 0,
    baseline,
    async add(key: string, deltas: Readonly<Record<string, number>>) {
      return timed(isBaselineKey(key), 1, async () => {
        if (ms) await wait();
        return { ...deltas };
      });
    },
    async remember() {
      return timed(false, 0, async () => {
        if (ms) await wait();
        return true;
      });
    },
    /** A batched read (BatchGetItem: 100 keys a call; Azure Tables: point reads, `batch` unset ×32). */
    async getMany(keys: readonly string[]) {
      const per = batch ? 1 : 100;
      const groups = [];
      for (let i = 0; i < keys.length; i += per) groups.push(keys.slice(i, i + per));
      if (batch && keys.some(isBaselineKey)) baseline.rounds++;
      const out = await mapConcurrent(groups, batch ? ADD_CONCURRENCY : 8, (g) =>
        timed(isBaselineKey(g[0] ?? ''), g.length, async () => {
          if (ms) await wait();
          return g.map(() => ({}));
        }),
      );
      return out.flat();
    },
    ...(batch
      ? {
          async addMany(items: readonly { key: string; deltas: Readonly<Record<string, number>> }[]) {
            if (items.some((i) => isBaselineKey(i.key))) baseline.rounds++;
            const groups = [];
            for (let i = 0; i < items.length; i += batch) groups.push(items.slice(i, i + batch));
            const out = await mapConcurrent(groups, 8, (g) =>
              timed(isBaselineKey(g[0]?.key ?? ''), g.length, async () => {
                if (ms) await wait();
                return g.map((i) => ({ ...i.deltas }));
              }),
            );
            return out.flat();
          },
        }
      : {}),
  } satisfies WindowStore & { calls: number; baseline: typeof baseline };
  return store;
}

export const session = (i: number) => ({ role: `role-${i % 50}`, session: `s${i}` });

/** Two weight reads per session, sessions interleaved as a fleet's are. */
export function* cloudTrail(actors: number): Generator<string> {
  const snapshotAt = Number(process.env.BENCH_ACTORS_SNAPSHOT ?? -1);
  yield '{"Records":[\n';
  for (let n = 0; n < 2 * actors; n++) {
    if (n === snapshotAt) console.error(`heap snapshot: ${writeHeapSnapshot()}`);
    const i = n % actors;
    const { role, session: s } = session(i);
    const record = {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE${i % 50}:${s}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${s}`,
        accountId: ACCOUNT,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
            accountId: ACCOUNT,
            userName: role,
          },
        },
      },
      eventTime: new Date(T0 + (n % 3_000_000)).toISOString(),
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'us-east-1',
      sourceIPAddress: `10.20.${i % 250}.${i % 200}`,
      requestParameters: {
        bucketName: 'models-prod',
        key: `weights/model-${String(n % 400).padStart(5, '0')}-of-00400.safetensors`,
      },
      additionalEventData: { bytesTransferredOut: 1_000_000 },
      eventID: `ev-${n}`,
      readOnly: true,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    };
    yield `${n ? ',\n' : ''}${JSON.stringify(record)}`;
  }
  yield '\n]}\n';
}

/**
 * The log as a file read delivers it: 64 KiB chunks (fs.createReadStream), the event loop turning
 * between reads. One tiny chunk per record through `Readable.from`, never leaving the microtask
 * queue, piles up a pending `emitReadable` tick per chunk (450k, ~75 MB, at 300k actors: what the
 * 1M scan ran out of heap on), and the heap sampler's timer never fires.
 */
export async function* chunked(
  parts: Iterable<string>,
  read: { bytes: number },
  bytes = 64 * 1024,
): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    pending.push(part);
    size += part.length;
    read.bytes += part.length;
    if (size >= bytes) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      size = 0;
      await new Promise((r) => setImmediate(r));
    }
  }
  if (pending.length) yield Buffer.from(pending.join(''), 'utf8');
}
