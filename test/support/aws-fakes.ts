/**
 * The S3 simulator (sim/aws/s3.ts) behind aws-sdk-client-mock, for tests that need state across
 * calls and exact SDK inputs (`toReceiveCommandWith`): every S3Client is answered by the same
 * simulator the exercise mode uses, and `failNext` injects a failure before it.
 */
import * as S3 from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Handlers } from '../../sim/aws/s3.ts';
import { simulatedS3 } from '../../sim/aws/s3.ts';

export type {
  SimBucket as FakeBucket,
  SimMetadata as FakeMetadata,
  SimVersion as FakeVersion,
} from '../../sim/aws/s3.ts';
export { parseTagging, s3Error } from '../../sim/aws/s3-rules.ts';

export type FakeS3 = ReturnType<typeof fakeS3>;

/** Serves every handler of a simulator through a mock of `Client`, with injectable failures. */
export function mockedBy(
  Client: Parameters<typeof mockClient>[0],
  commands: Record<string, unknown>,
  handlers: Handlers,
) {
  const mock = mockClient(Client);
  const failures = new Map<unknown, unknown[]>();
  for (const [name, handler] of Object.entries(handlers)) {
    const command = commands[name];
    if (!command) throw new Error(`no SDK command ${name}`);
    // Handlers check a queue of injected failures first (sinon's `rejectsOnce` counts earlier calls).
    mock.on(command as never).callsFake(async (input: object) => {
      const queued = failures.get(command);
      if (queued?.length) throw queued.shift();
      return handler(input);
    });
  }
  return {
    mock,
    /** The next call of `command` fails with `error` (then the simulator answers again). */
    failNext(command: unknown, error: unknown) {
      failures.set(command, [...(failures.get(command) ?? []), error]);
    },
  };
}

/** Installs the simulator on every S3Client; `pageSize` keeps ListObjectsV2 pages small. */
export function fakeS3(options: { pageSize?: number } = {}) {
  const sim = simulatedS3(options);
  return { ...sim, ...mockedBy(S3.S3Client, S3 as unknown as Record<string, unknown>, sim.handlers) };
}
