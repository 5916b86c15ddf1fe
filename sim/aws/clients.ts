import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import type { Handlers } from './s3.ts';

interface WithMiddleware {
  middlewareStack: { add(middleware: unknown, options: object): void };
}

/**
 * A real SDK client whose calls the simulator answers: a middleware at the very start of the
 * stack (before serialization, endpoints, credentials and signing) hands each command's input to
 * the handler of its name and returns its output. No request leaves the process; no credential is
 * needed; an unknown command fails loudly. Executors call `client.send(new XCommand(…))` and
 * paginators exactly as against AWS.
 */
export function servedBy<C extends WithMiddleware>(client: C, handlers: Handlers): C {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) => async (args: { input: object }) => {
      const name = context.commandName ?? '';
      const handler = handlers[name];
      if (!handler) throw new Error(`the simulated cloud does not implement ${name || 'this command'}`);
      return { output: { $metadata: { httpStatusCode: 200 }, ...(await handler(args.input)) }, response: {} };
    },
    { step: 'initialize', priority: 'high', name: 'tourniquetSimulator' },
  );
  return client;
}

export function simulatedAwsClients(handlers: { s3: Handlers; iam: Handlers; eventBridge: Handlers }) {
  const region = 'eu-central-1';
  return {
    s3: servedBy(new S3Client({ region }), handlers.s3),
    iam: servedBy(new IAMClient({ region }), handlers.iam),
    eventBridge: servedBy(new EventBridgeClient({ region }), handlers.eventBridge),
  };
}
