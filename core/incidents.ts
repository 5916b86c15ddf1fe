import type { Config } from './config.ts';
import type { IncidentJournal, IncidentRecord, IncidentState, WriteOnceStore } from './journal.ts';
import { verifyChain } from './journal-chain.ts';
import { buildPack, type EvidenceCheck, type EvidencePack, type PackInput } from './report/pack.ts';

const CLAIM = /^incidents\/([^/]+)\/journal\/incident\.json$/;

/** Every incident id in a store (the claims under `incidents/`). */
export async function incidentIds(store: WriteOnceStore): Promise<string[]> {
  return (await store.list('incidents/')).flatMap((k) => CLAIM.exec(k)?.[1] ?? []).sort();
}

/** Loads many incidents at once, a few at a time; unreadable ones are left out and named. */
export async function loadIncidents(
  journal: IncidentJournal,
  ids: readonly string[],
): Promise<{ states: IncidentState[]; unreadable: { incidentId: string; error: string }[] }> {
  const loaded: { id: string; state?: IncidentState | undefined; error?: string }[] = [];
  // Eight reads in flight at a time: a store with many incidents is not hit all at once.
  for (let i = 0; i < ids.length; i += 8) {
    const batch = ids.slice(i, i + 8).map(async (id) => {
      try {
        return { id, state: await journal.load(id) };
      } catch (error) {
        return { id, error: (error as Error).message };
      }
    });
    loaded.push(...(await Promise.all(batch)));
  }
  return {
    states: loaded.flatMap((l) => (l.state ? [l.state] : [])),
    unreadable: loaded.flatMap((l) => (l.error ? [{ incidentId: l.id, error: l.error }] : [])),
  };
}

/**
 * An incident's pack from its store: its journal, its delivered event, and the claims of every
 * other incident there for linking.
 */
export async function packOf(
  store: WriteOnceStore,
  journal: IncidentJournal,
  incidentId: string,
  options: {
    config: Config;
    now: Date;
    others?: readonly IncidentRecord[];
    checks?: readonly EvidenceCheck[];
    submissions?: PackInput['submissions'];
  },
): Promise<EvidencePack | undefined> {
  const state = await journal.load(incidentId);
  if (!state) return undefined;
  const eventText = state.entries.find((e) => e.key === 'event.json')?.text;
  let event: unknown;
  try {
    event = eventText ? JSON.parse(eventText) : undefined;
  } catch {
    event = undefined;
  }
  const others =
    options.others ??
    (
      await loadIncidents(
        journal,
        (await incidentIds(store)).filter((id) => id !== incidentId),
      )
    ).states.map((s) => s.record);
  return buildPack({
    state,
    config: options.config,
    now: options.now,
    chain: verifyChain(state.entries),
    event,
    others,
    ...(options.checks ? { checks: options.checks } : {}),
    ...(options.submissions ? { submissions: options.submissions } : {}),
  });
}
