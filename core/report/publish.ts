import type { Config } from '../config.ts';
import { describeError } from '../errors.ts';
import { packOf } from '../incidents.ts';
import type { IncidentJournal, Phase, WriteOnceStore } from '../journal.ts';
import type { PackOutcome } from '../respond.ts';
import { renderHtml } from './html.ts';
import { packFolder } from './pack-folder.ts';

export { packFolder };

/**
 * The deployed functions' pack writer: after a phase, the pack as JSON and HTML goes to
 * `incidents/<id>/pack/<n>-<phase>.json|.html` in the evidence store (write-once, so each phase
 * adds a numbered pack and none is overwritten). `where` turns a key into what a human opens
 * (`s3://bucket/key`, a blob URL). Failures are returned, never thrown: containment is done.
 */
export function packPublisher(
  store: WriteOnceStore,
  journal: IncidentJournal,
  config: Config,
  where: (key: string) => string,
  now: () => Date = () => new Date(),
): (incidentId: string, phase: Phase) => Promise<PackOutcome> {
  return async (incidentId, phase) => {
    try {
      const pack = await packOf(store, journal, incidentId, { config, now: now() });
      if (!pack) return { error: `no journal for ${incidentId}` };
      const folder = packFolder(incidentId);
      const existing = await store.list(folder);
      for (let n = Math.floor(existing.length / 2) + 1; ; n++) {
        const base = `${folder}${String(n).padStart(3, '0')}-${phase}`;
        if (!(await store.create(`${base}.json`, `${JSON.stringify(pack, null, 2)}\n`))) continue;
        await store.create(`${base}.html`, renderHtml(pack));
        return { written: [`${base}.json`, `${base}.html`], location: where(folder) };
      }
    } catch (error) {
      return { error: describeError(error) };
    }
  };
}
