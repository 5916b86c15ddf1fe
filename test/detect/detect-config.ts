import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '../../core/alert.ts';
import { type Config, parseConfig } from '../../core/config.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { DETECTOR_IDS } from '../../core/detect/modes.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import { type FormatName, PACKS } from '../../packs/index.ts';

export const ACCOUNT = '111122223333';
export const SUBSCRIPTION = 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e';
export const STORAGE_ACCOUNT = `/subscriptions/${SUBSCRIPTION}/resourceGroups/llm-rg/providers/Microsoft.Storage/storageAccounts/llmweights`;
export const CANARY = 'CANARY-7f3a9c2e1b';
export const FIXTURES = join(import.meta.dirname, '../fixtures/logs');

/** Every detector promoted to `contain`. */
export const ALL_CONTAIN = Object.fromEntries(DETECTOR_IDS.map((id) => [id, 'contain']));

/** Both clouds, weights in `models-prod` and `llmweights/models`, the detect section. */
export function detectConfig(
  detect: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
): Config {
  return parseConfig({
    mode: 'enforce',
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      protectedPrincipals: [`arn:aws:iam::${ACCOUNT}:user/breakglass`],
      assets: [
        { bucket: 'models-prod', kind: 'model-weights', prefixes: ['weights/'] },
        { bucket: 'training-data', kind: 'training-data' },
      ],
      evidenceBucket: `ir-evidence-${ACCOUNT}`,
    },
    azure: {
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      subscriptions: [SUBSCRIPTION],
      responders: ['0d3c2b1a-1111-4222-8333-944445555666'],
      assets: [{ storageAccount: STORAGE_ACCOUNT, containers: ['models'], kind: 'model-weights' }],
      evidence: { storageAccount: STORAGE_ACCOUNT, container: 'evidence' },
    },
    detect: {
      knownReaders: [
        `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/*`,
        'a4711f3a-254f-4cfb-8a2d-111111111111',
      ],
      expectedNetworks: ['vpce-0a1b2c3d4e5f60718', '10.20.0.0/16', '10.30.0.0/16'],
      inferenceEndpoints: ['eni-0f1e2d3c4b5a69788', '10.20.1.15', '10.30.1.15'],
      canaryTokens: [CANARY],
      // Explicit: these tests exercise enforcement; a detector with no mode would be in audit.
      modes: ALL_CONTAIN,
      ...detect,
    },
    ...top,
  });
}

/** Scans one file's text in a fresh session with an in-memory window store: its alerts. */
export async function scanText(config: Config, text: string): Promise<Alert[]> {
  const session = createScanSession(config, memoryWindowStore(), { packs: PACKS });
  const { alerts } = await session.scan(
    (async function* () {
      yield Buffer.from(text);
    })(),
  );
  return alerts;
}

/** Scans fixture files in one session with an in-memory window store. */
export async function scanFixtures(config: Config, files: string[], format?: FormatName) {
  const session = createScanSession(config, memoryWindowStore(), { packs: PACKS });
  const results = [];
  for (const file of files)
    results.push(await session.scan(createReadStream(join(FIXTURES, file)), format ? { format } : {}));
  return results;
}
