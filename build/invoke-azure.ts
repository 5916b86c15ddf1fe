/**
 * Local invocation of the Azure functions through the handlers they register, with no Functions
 * host (it cannot run here): the twin of `serverless invoke local`.
 *
 *   npm run invoke:azure -- tourniquet-manual --data '{"command":"plan","event":{…}}'
 *   npm run invoke:azure -- tourniquet-events --path examples/events/azure-defender-data-exfiltration.json
 *
 * The functions are registered exactly as in the deployed app (functions-azure/functions/index.ts),
 * with build/functions-core-local.cjs standing in for the host's `@azure/functions-core`; the one
 * registered under the name is called with a real HttpRequest or Event Grid event and an
 * InvocationContext whose log lines go to stderr. The configuration is TOURNIQUET_CONFIG, else
 * --config FILE, else the example in dry-run mode (as `npm run package:*` packages it). In dry-run
 * mode nothing is called and no credentials are needed; in enforce mode it acts with
 * DefaultAzureCredential. Prints the answer (HTTP status and body, or what the trigger returned);
 * exits 1 when the function answered 4xx/5xx or threw.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FAKE_CORE = join(ROOT, 'build/functions-core-local.cjs');

interface Registered {
  metadata: { name: string; bindings: Record<string, { type: string; route?: string }> };
  callback: (input: unknown, context: unknown) => Promise<unknown>;
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: {
    data: { type: 'string', short: 'd' },
    path: { type: 'string', short: 'p' },
    config: { type: 'string' },
  },
  allowPositionals: true,
});
const name = positionals[0];
if (!name || (values.data === undefined) === (values.path === undefined)) {
  process.stderr.write(
    'usage: npm run invoke:azure -- FUNCTION (--data JSON | --path FILE) [--config FILE]\n',
  );
  process.exit(1);
}
process.env.TOURNIQUET_CONFIG ??= configText(values.config);

// The host's module, resolved to the local stand-in before @azure/functions asks for it.
const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = mod._resolveFilename;
mod._resolveFilename = (request, ...rest) =>
  request === '@azure/functions-core' ? FAKE_CORE : resolve(request, ...rest);
await import('../functions-azure/functions/index.ts');
const { registered } = createRequire(import.meta.url)(FAKE_CORE) as { registered: Registered[] };
const fn = registered.find((r) => r.metadata.name === name);
if (!fn) {
  process.stderr.write(`no function ${name}: ${registered.map((r) => r.metadata.name).join(', ')}\n`);
  process.exit(1);
}

const { HttpRequest, InvocationContext } = (await import('@azure/functions')).default;
const text = values.data ?? readFileSync(values.path as string, 'utf8');
const context = new InvocationContext({
  invocationId: `local-${Date.now()}`,
  functionName: name,
  logHandler: (level, ...args) => process.stderr.write(`[${level}] ${args.join(' ')}\n`),
});
const trigger = Object.values(fn.metadata.bindings).find((b) => b.type.endsWith('Trigger'));
try {
  if (trigger?.type === 'httpTrigger') {
    const request = new HttpRequest({
      method: 'POST',
      url: `http://localhost:7071/api/${trigger.route ?? name}`,
      headers: { 'content-type': 'application/json' },
      body: { string: text },
    });
    const response = (await fn.callback(request, context)) as {
      status?: number;
      jsonBody?: unknown;
      body?: unknown;
    };
    process.stdout.write(
      `${JSON.stringify({ status: response.status ?? 200, body: response.jsonBody ?? response.body ?? null }, null, 2)}\n`,
    );
    if ((response.status ?? 200) >= 400) process.exitCode = 1;
  } else {
    // An Event Grid trigger gets one event at a time (the host splits batches).
    const events = [JSON.parse(text)].flat();
    for (const event of events) {
      const returned = await fn.callback(event, context);
      process.stdout.write(
        `${JSON.stringify({ event: (event as { id?: string }).id ?? null, returned: returned ?? null }, null, 2)}\n`,
      );
    }
  }
} catch (error) {
  process.stderr.write(`${name} threw (the host would retry the event): ${(error as Error).message}\n`);
  process.exitCode = 1;
}

function configText(file: string | undefined): string {
  if (file) return readFileSync(file, 'utf8');
  const { $schema: _schema, ...example } = JSON.parse(
    readFileSync(join(ROOT, 'examples/tourniquet.config.json'), 'utf8'),
  );
  process.stderr.write(
    'invoke-azure: no TOURNIQUET_CONFIG and no --config: the example configuration, in dry-run mode\n',
  );
  return JSON.stringify({ ...example, mode: 'dry-run' });
}
