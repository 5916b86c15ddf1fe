import { randomUUID } from 'node:crypto';
import type {
  AfterEntry,
  BeforeEntry,
  IncidentRecord,
  IncidentState,
  JobEntry,
  Phase,
  ReleaseRequestEntry,
  SealEntry,
  StoredEntry,
} from './entries.ts';
import { CHAIN_VERSION, entryHash } from './entries.ts';
import { incidentState, parseEntry } from './incident-state.ts';
import { journalRoot, pad, SEAL_KEY } from './layout.ts';
import type { WriteOnceStore } from './write-once-store.ts';

/** A write: whether it is ours (created, or found as we wrote it) and the hash of its text. */
export interface Written {
  ok: boolean;
  sha256: string;
}

/**
 * The incident journal over a write-once store. Layout under `incidents/<id>/journal/`:
 * `incident.json` (the claim), `event.json` (the source event), `<phase>/<action>/<attempt>-before.json`
 * and `-after.json`, `release/request-<n>.json`, `seals/<n>.json`. Every entry but the event (kept
 * byte for byte as delivered) names the SHA-256 of the entry it follows in `prev`; each seal lists
 * the hash of every entry there was when a phase finished (core/journal-chain.ts verifies).
 */
export function incidentJournal(store: WriteOnceStore) {
  const root = journalRoot;
  const body = (value: object) => `${JSON.stringify({ ...value, writeId: randomUUID() }, null, 2)}\n`;
  // A write whose response was lost is retried by the SDK and then finds its own object: that is
  // still ours. Each write carries its own id, so an identical entry from another invocation is not.
  const put = async (key: string, text: string) =>
    (await store.create(key, text)) || (await store.get(key)) === text;
  const write = async (key: string, value: object): Promise<Written> => {
    const text = body(value);
    return { ok: await put(key, text), sha256: entryHash(text) };
  };

  return {
    /**
     * Claims the incident. The claim's hash is known at once (before-entries name it while the
     * write is still in flight, so the chain costs no round of calls); `created` is false when it
     * was claimed before (a duplicate delivery or update).
     */
    claim(record: Omit<IncidentRecord, 'chain'>): { sha256: string; created: Promise<boolean> } {
      const text = body({ ...record, chain: CHAIN_VERSION });
      return { sha256: entryHash(text), created: put(`${root(record.incidentId)}incident.json`, text) };
    },
    /**
     * Claims one target (an actor or resource id) of a growing finding for an incident, write-once
     * under the series' own journal root; returns the incident that holds it (ours when we won, or
     * when we had claimed it before).
     */
    async claimSeriesTarget(seriesId: string, target: string, incidentId: string): Promise<string> {
      const key = `${root(seriesId)}series/${entryHash(target).slice(0, 40)}.json`;
      const text = `${JSON.stringify({ target, incidentId }, null, 2)}\n`;
      if (await store.create(key, text)) return incidentId;
      const held = parseEntry((await store.get(key)) ?? '') as { incidentId?: unknown } | undefined;
      if (typeof held?.incidentId !== 'string')
        throw new Error(`the series claim ${key} cannot be read: the journal was altered`);
      return held.incidentId;
    },
    /** Keeps the event as delivered, once (the seals cover it). */
    recordEvent: (incidentId: string, event: unknown) =>
      store.create(`${root(incidentId)}event.json`, `${JSON.stringify(event, null, 2)}\n`),
    begin: (incidentId: string, phase: Phase, entry: BeforeEntry) =>
      write(`${root(incidentId)}${phase}/${entry.actionId}/${pad(entry.attempt)}-before.json`, entry),
    finish: (incidentId: string, phase: Phase, entry: AfterEntry) =>
      write(`${root(incidentId)}${phase}/${entry.actionId}/${pad(entry.attempt)}-after.json`, entry),
    /** Records the end of a job an action started, once (a repeated report finds it written). */
    job: (incidentId: string, entry: JobEntry) =>
      write(`${root(incidentId)}contain/${entry.actionId}/${pad(entry.attempt)}-job.json`, entry),
    /**
     * Whether a release was requested: a contain attempt asks after writing its before-entry, so a
     * release (which writes its request, then reads the attempts) and a retry cannot miss each other.
     */
    releaseRequested: async (incidentId: string): Promise<boolean> =>
      (await store.get(`${root(incidentId)}release/request-${pad(1)}.json`)) !== undefined,
    async requestRelease(incidentId: string, request: ReleaseRequestEntry): Promise<Written & { n: number }> {
      const existing = await store.list(`${root(incidentId)}release/request-`);
      for (let n = existing.length + 1; ; n++) {
        const w = await write(`${root(incidentId)}release/request-${pad(n)}.json`, request);
        if (w.ok) return { ...w, n };
      }
    },
    /**
     * Seals a phase: reads the journal back and writes the next `seals/<n>.json` listing the hash
     * of every entry, chained to the previous seal (or the claim). Runs after the phase, never on
     * the way to cutting the attacker off. Returns the new seal's hash: the chain head.
     */
    async seal(incidentId: string, phase: Phase, at: string): Promise<Written & { n: number }> {
      for (;;) {
        const state = await this.load(incidentId);
        if (!state) throw new Error(`incident ${incidentId} has no claim to seal`);
        const last = state.seals[state.seals.length - 1];
        const n = (last?.seal ?? 0) + 1;
        const entries = state.entries
          .filter((e) => !SEAL_KEY.test(e.key))
          .map((e) => ({ key: e.key, sha256: e.sha256 }));
        const seal: SealEntry = { seal: n, phase, at, prev: last?.sha256 ?? state.claimSha256, entries };
        const w = await write(`${root(incidentId)}seals/${pad(n)}.json`, seal);
        if (w.ok) return { ...w, n };
      }
    },
    /** Every object under the incident's journal root as stored, sorted by key: what verify reads. */
    async entries(incidentId: string): Promise<StoredEntry[]> {
      const keys = await store.list(root(incidentId));
      const bodies = await Promise.all(keys.map(async (k) => [k, await store.get(k)] as const));
      return bodies
        .filter((b): b is readonly [string, string] => b[1] !== undefined)
        .map(([k, text]) => ({ key: k.slice(root(incidentId).length), text, sha256: entryHash(text) }))
        .sort((a, b) => a.key.localeCompare(b.key));
    },
    async load(incidentId: string): Promise<IncidentState | undefined> {
      const claimText = await store.get(`${root(incidentId)}incident.json`);
      if (claimText === undefined) return undefined;
      const entries = await this.entries(incidentId);
      return incidentState(incidentId, claimText, entries);
    },
  };
}

export type IncidentJournal = ReturnType<typeof incidentJournal>;
