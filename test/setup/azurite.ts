import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, waitForPort } from './free-port.ts';

/** Azurite's well-known development account (public, documented in the Azurite README). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteEndpoints {
  account: string;
  accountKey: string;
  blobEndpoint: string;
  tableEndpoint: string;
  queueEndpoint: string;
  connectionString: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    azurite: AzuriteEndpoints;
  }
}

/**
 * Starts the real Azure Storage emulator (blob, table and queue services) on free loopback ports for the
 * whole test run; tests read the endpoints with `inject('azurite')`.
 */
export default async function setup(project: TestProject) {
  const [blobPort, tablePort, queuePort] = [await freePort(), await freePort(), await freePort()];
  const location = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child: ChildProcess = spawn(
    join(process.cwd(), 'node_modules/.bin/azurite'),
    [
      '--inMemoryPersistence',
      '--silent',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(blobPort),
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(tablePort),
      '--queueHost',
      '127.0.0.1',
      '--queuePort',
      String(queuePort),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: location },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  try {
    await Promise.all([waitForPort(blobPort), waitForPort(tablePort), waitForPort(queuePort)]);
  } catch (error) {
    child.kill();
    throw new Error(`Azurite did not start: ${(error as Error).message}\n${stderr}`);
  }
  const blobEndpoint = `http://127.0.0.1:${blobPort}/${ACCOUNT}`;
  const tableEndpoint = `http://127.0.0.1:${tablePort}/${ACCOUNT}`;
  const queueEndpoint = `http://127.0.0.1:${queuePort}/${ACCOUNT}`;
  project.provide('azurite', {
    account: ACCOUNT,
    accountKey: KEY,
    blobEndpoint,
    tableEndpoint,
    queueEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${blobEndpoint};TableEndpoint=${tableEndpoint};QueueEndpoint=${queueEndpoint};`,
  });
  return () => {
    child.kill();
    rmSync(location, { recursive: true, force: true });
  };
}
