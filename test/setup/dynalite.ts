import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** Starts dynalite (a DynamoDB emulator) on a free loopback port; `inject('dynamodbEndpoint')`. */
export default async function setup(project: TestProject) {
  const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => {
    listen(port: number, host: string, cb: (err?: Error) => void): void;
    close(cb: () => void): void;
  };
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await freePort();
  await new Promise<void>((resolve, reject) =>
    server.listen(port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
  );
  project.provide('dynamodbEndpoint', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
