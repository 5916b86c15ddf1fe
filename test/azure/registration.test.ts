import Module from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface Registered {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
  callback: unknown;
}

const fake = fileURLToPath(new URL('../../build/functions-core-local.cjs', import.meta.url));
let registered: Registered[] = [];

/**
 * The host's side of registration: @azure/functions requires `@azure/functions-core` (which only
 * the Functions host provides) and passes it each function's binding metadata. Resolving that
 * module to a fake records exactly what the host would receive.
 */
beforeAll(async () => {
  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = (request, ...rest) =>
    request === '@azure/functions-core' ? fake : original(request, ...rest);
  await import('../../functions-azure/functions/index.ts');
  registered = (Module.createRequire(import.meta.url)(fake) as { registered: Registered[] }).registered;
  mod._resolveFilename = original;
});

const byName = (name: string) => registered.find((r) => r.metadata.name === name)?.metadata;
const trigger = (name: string) =>
  Object.values(byName(name)?.bindings ?? {}).find((b) => String(b.type).endsWith('Trigger'));

describe('Azure function registration (binding metadata the host receives)', () => {
  it('registers exactly the seven Tourniquet functions, each with a handler', () => {
    expect(registered.map((r) => r.metadata.name).sort()).toEqual([
      'tourniquet-alert',
      'tourniquet-events',
      'tourniquet-evidence-worker',
      'tourniquet-grants',
      'tourniquet-manual',
      'tourniquet-posture',
      'tourniquet-scan',
    ]);
    expect(registered.every((r) => typeof r.callback === 'function')).toBe(true);
  });

  it.each([
    ['tourniquet-posture', '0 0 6 * * *'],
    ['tourniquet-grants', '0 */5 * * * *'],
  ])('runs %s on a timer (%s)', (name, schedule) => {
    expect(trigger(name)).toMatchObject({ type: 'timerTrigger', direction: 'in', schedule });
  });

  it('triggers the evidence fan-out worker from its queue, through an identity-based connection', () => {
    expect(trigger('tourniquet-evidence-worker')).toMatchObject({
      type: 'queueTrigger',
      direction: 'in',
      queueName: 'tourniquet-evidence',
      connection: 'TOURNIQUET_EVIDENCE_QUEUE',
    });
  });

  it.each(['tourniquet-events', 'tourniquet-scan'])('triggers %s from Event Grid', (name) => {
    expect(trigger(name)).toMatchObject({ type: 'eventGridTrigger', direction: 'in' });
  });

  it.each([
    ['tourniquet-manual', 'tourniquet/manual', ['POST']],
    ['tourniquet-alert', 'tourniquet/alert', ['POST', 'OPTIONS']],
  ])('exposes %s over HTTP behind a function key at route %s', (name, route, methods) => {
    expect(trigger(name)).toMatchObject({
      type: 'httpTrigger',
      direction: 'in',
      authLevel: 'function',
      route,
      methods,
    });
    expect(Object.values(byName(name)?.bindings ?? {})).toContainEqual(
      expect.objectContaining({ type: 'http', direction: 'out' }),
    );
  });
});
