import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../core/memory-store.ts';
import { PREFLIGHT_PERMISSIONS } from '../../functions-azure/evidence-preflight.ts';
import { FANOUT_WORKER_PERMISSIONS } from '../../functions-azure/evidence-worker.ts';
import { azureExecutors } from '../../functions-azure/executors/index.ts';
import { INCIDENT_FINDING_PERMISSIONS } from '../../functions-azure/incident-findings.ts';
import { JOURNAL_PERMISSIONS } from '../../functions-azure/journal-store.ts';
import { EVENT_GRID_PUBLISH_PERMISSIONS } from '../../functions-azure/posture/event-grid-publisher.ts';
import { azurePostureChecks } from '../../packs/azure/posture/index.ts';
import {
  AZURE_POSTURE_OPERATIONS,
  type AzurePostureOperation,
} from '../../packs/azure/posture/operations.ts';
import { azuriteClients } from './support/azurite.ts';

const registry = azureExecutors(azuriteClients(), { guarded: [], evidence: memoryStore(), notify: () => {} });
const role = JSON.parse(readFileSync('functions-azure/deploy/tourniquet-role.json', 'utf8')) as {
  Actions: string[];
  DataActions: string[];
};

describe('Azure permissions', () => {
  it.each(Object.entries(registry))('the %s executor declares what it calls', (_kind, executor) => {
    expect(executor.permissions.length).toBeGreaterThan(0);
  });

  it('the deployment role grants exactly what the executors, the journal and the preflight declare', () => {
    const declared = new Set([
      ...Object.values(registry).flatMap((e) => [...e.permissions]),
      ...JOURNAL_PERMISSIONS,
      ...PREFLIGHT_PERMISSIONS,
      ...INCIDENT_FINDING_PERMISSIONS,
      ...FANOUT_WORKER_PERMISSIONS,
    ]);
    const arm = [...declared].filter((p) => p.startsWith('Microsoft.')).sort();
    const data = [...declared]
      .filter((p) => p.startsWith('data:'))
      .map((p) => p.slice('data:'.length))
      .sort();
    expect(role.Actions).toEqual(arm);
    expect(role.DataActions).toEqual(data);
  });

  it('the posture role grants exactly what the posture checks read and the findings publisher sends', () => {
    const posture = JSON.parse(
      readFileSync('functions-azure/deploy/tourniquet-posture-role.json', 'utf8'),
    ) as {
      Actions: string[];
      DataActions: string[];
    };
    const ops = new Set(azurePostureChecks.flatMap((c) => c.operations));
    const declared = [
      ...[...ops].flatMap((op) => AZURE_POSTURE_OPERATIONS[op as AzurePostureOperation].permissions),
      ...EVENT_GRID_PUBLISH_PERMISSIONS,
    ];
    expect(posture.Actions).toEqual([...new Set(declared.filter((p) => p.startsWith('Microsoft.')))].sort());
    expect(posture.DataActions).toEqual(declared.filter((p) => p.startsWith('data:')).map((p) => p.slice(5)));
    // Reads only, on the control plane.
    expect(posture.Actions.filter((a) => !/\/read$/i.test(a))).toEqual([]);
  });

  it('asks Microsoft Graph for Application.ReadWrite.All only, and only to disable service principals', () => {
    const graph = Object.entries(registry).flatMap(([kind, e]) =>
      e.permissions.filter((p) => p.startsWith('graph:')).map((p) => [kind, p]),
    );
    expect(graph).toEqual([['disable-service-principal', 'graph:Application.ReadWrite.All']]);
  });
});
