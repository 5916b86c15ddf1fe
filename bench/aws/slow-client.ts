import type { Handlers } from '../../sim/aws/s3.ts';

/** Every simulated call answers after this long. */
export const LATENCY_MS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One call a slow client answered: its command, object key, and when it started and ended. */
export interface Call {
  name: string;
  key?: string | undefined;
  start: number;
  end: number;
}

/**
 * A client whose every call answers after LATENCY_MS from a simulator (sim/aws: real S3/IAM state,
 * called directly: no SDK middleware and no mock matching, whose CPU would be the bench's, not
 * Tourniquet's). Each client has its own pool of `sockets` connections, as the SDK's Node handler
 * has (`maxSockets`, 50 by default): calls beyond it wait for a free one, in order.
 */
export function slow<T>(
  Client: new (config: object) => T,
  handlers: Handlers,
  calls: Call[],
  t0: number,
  sockets = 50,
): T {
  type Command = { constructor: { name: string }; input?: { Key?: string } };
  let busy = 0;
  const waiting: (() => void)[] = [];
  const send = async (command: Command) => {
    if (busy >= sockets) await new Promise<void>((r) => waiting.push(r));
    busy++;
    const name = command.constructor.name;
    const call = { name, key: command.input?.Key, start: performance.now() - t0, end: Number.NaN };
    calls.push(call);
    await sleep(LATENCY_MS);
    try {
      const handler = handlers[name];
      if (!handler) throw new Error(`the simulator does not implement ${name}`);
      return { $metadata: { httpStatusCode: 200 }, ...(await handler(command.input ?? {})) };
    } finally {
      call.end = performance.now() - t0;
      busy--;
      waiting.shift()?.();
    }
  };
  // The SDK's paginators check the client's class.
  return Object.assign(Object.create(Client.prototype), { send, config: {} }) as T;
}

/**
 * A call's round: one more than the latest round of the calls answered before it started, so CPU
 * time or a wait for a socket between calls cannot pass for a round of its own.
 */
export function roundsOf(calls: readonly Call[]): Map<Call, number> {
  const byStart = [...calls].sort((a, b) => a.start - b.start);
  const byEnd = [...calls].sort((a, b) => a.end - b.end);
  const round = new Map<Call, number>();
  let done = 0;
  let latest = 0;
  for (const c of byStart) {
    while (done < byEnd.length && (byEnd[done] as Call).end <= c.start) {
      latest = Math.max(latest, round.get(byEnd[done] as Call) ?? 0);
      done++;
    }
    round.set(c, latest + 1);
  }
  return round;
}
