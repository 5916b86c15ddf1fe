import { readFile, writeFile } from 'node:fs/promises';
import type { Alert } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import type { EvidenceReader } from '../core/report/evidence-check.ts';
import { s3EvidenceReader } from '../functions-aws/evidence-reader.ts';
import { blobEvidenceReader } from '../functions-azure/evidence-reader.ts';
import { simulatedAwsClients } from './aws/clients.ts';
import { simulatedEventBridge } from './aws/eventbridge.ts';
import { type SavedIam, simulatedIam } from './aws/iam.ts';
import { type SavedS3, simulatedS3 } from './aws/s3.ts';
import { simulatedAzureClients } from './azure/clients.ts';
import { emptyAzure, type SavedAzure } from './azure/state.ts';
import { seedAws } from './seed-aws.ts';
import { seedAzure } from './seed-azure.ts';

/** Everything the simulated clouds hold, as plain JSON (an exercise folder's simulation.json). */
export interface SavedWorld {
  simulation: 1;
  aws: { s3: SavedS3; iam: SavedIam; escalations: ReturnType<typeof simulatedEventBridge>['events'] };
  azure: SavedAzure;
}

export type SimWorld = ReturnType<typeof simulatedWorld>;

/**
 * The simulated clouds an exercise runs against: AWS (S3, IAM, EventBridge) and Azure (ARM storage
 * and authorization, Graph, Blob storage).
 */
export function simulatedWorld() {
  const s3 = simulatedS3();
  const iam = simulatedIam();
  const eventBridge = simulatedEventBridge();
  const aws = simulatedAwsClients({ s3: s3.handlers, iam: iam.handlers, eventBridge: eventBridge.handlers });
  let azureState = emptyAzure();
  const azure = simulatedAzureClients(() => azureState);
  return {
    s3,
    iam,
    eventBridge,
    /** SDK clients answered by the simulators (the same in every account). */
    aws,
    azure,
    azureState: () => azureState,
    /** Creates what the configuration protects and what the alerts name, so the executors find it. */
    seed(config: Config, alerts: readonly Alert[]) {
      seedAws({ s3, iam }, config, alerts);
      seedAzure(azureState, config, alerts);
    },
    save(): SavedWorld {
      return {
        simulation: 1,
        aws: { s3: s3.snapshot(), iam: iam.snapshot(), escalations: eventBridge.events },
        azure: structuredClone(azureState),
      };
    },
    load(saved: SavedWorld) {
      s3.restore(saved.aws.s3);
      iam.restore(saved.aws.iam);
      eventBridge.events.splice(0, eventBridge.events.length, ...saved.aws.escalations);
      azureState = structuredClone(saved.azure);
    },
  };
}

export async function loadWorld(file: string): Promise<SimWorld> {
  const saved = JSON.parse(await readFile(file, 'utf8')) as SavedWorld;
  if (saved.simulation !== 1) throw new Error(`${file} is not a Tourniquet simulation`);
  const world = simulatedWorld();
  world.load(saved);
  return world;
}

export async function saveWorld(world: SimWorld, file: string): Promise<void> {
  await writeFile(file, `${JSON.stringify(world.save(), null, 1)}\n`);
}

/** Reads evidence copies from a saved simulation, for `tourniquet verify --journal DIR`. */
export async function simulatedEvidenceReader(file: string): Promise<EvidenceReader> {
  const world = await loadWorld(file);
  const s3 = s3EvidenceReader(world.aws.s3);
  const blob = blobEvidenceReader(world.azure);
  return async (location) => (location.startsWith('s3://') ? s3(location) : blob(location));
}
