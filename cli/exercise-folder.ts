import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Cloud } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import type { HandleDeps } from '../core/handle.ts';
import { incidentJournal } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';
import { packPublisher } from '../core/report/publish.ts';
import { UsageError } from './args.ts';
import { fileStore } from './file-store.ts';
import { SIMULATION_FILE } from './journal-source.ts';

/**
 * Runs a command against an exercise folder: its local journal and its simulated clouds, loaded
 * from and saved back to `simulation.json`, with the pack written after each phase. A folder
 * without a simulation is refused: a real incident is changed only through its real cloud.
 */
export async function runInExercise<T>(
  dir: string,
  cloud: Cloud,
  config: Config,
  run: (runtime: { deps: HandleDeps; parsers: ManualParsers }) => Promise<T>,
): Promise<T> {
  const file = join(dir, SIMULATION_FILE);
  if (!existsSync(file)) {
    throw new UsageError(
      `${dir} holds no ${SIMULATION_FILE}: --journal acts only on an exercise folder; release a real incident without --journal, from its evidence store`,
    );
  }
  const [{ loadWorld, saveWorld }, { simulatedRuntime }] = await Promise.all([
    import('../sim/world.ts'),
    import('../sim/runtime.ts'),
  ]);
  const world = await loadWorld(file);
  const store = fileStore(resolve(dir));
  const journal = incidentJournal(store);
  const publishPack = packPublisher(store, journal, config, (key) => join(resolve(dir), key));
  try {
    return await run(
      simulatedRuntime(cloud, world, { ...config, mode: 'enforce' }, journal, { publishPack }),
    );
  } finally {
    await saveWorld(world, file);
  }
}
