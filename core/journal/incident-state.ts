import type {
  ActionHistory,
  IncidentRecord,
  IncidentState,
  Phase,
  ReleaseRequestEntry,
  SealEntry,
  StoredEntry,
} from './entries.ts';
import { entryHash } from './entries.ts';
import { ENTRY_KEY, journalRoot, REQUEST_KEY, SEAL_KEY } from './layout.ts';

/**
 * Reads an incident's state from its claim's text and every entry under its journal root (sorted by
 * key, as `IncidentJournal.entries` gives them): what `IncidentJournal.load` returns.
 */
export function incidentState(incidentId: string, claimText: string, entries: StoredEntry[]): IncidentState {
  const phases: IncidentState['phases'] = { contain: new Map(), release: new Map() };
  const releaseRequests: IncidentState['releaseRequests'] = [];
  const seals: IncidentState['seals'] = [];
  const anomalies: string[] = [];
  for (const { key: rel, text, sha256 } of entries) {
    const key = journalRoot(incidentId) + rel;
    const m = ENTRY_KEY.exec(rel);
    const value = m || REQUEST_KEY.test(rel) || SEAL_KEY.test(rel) ? parseEntry(text) : undefined;
    if (m) {
      const entry = value as { actionId?: unknown; attempt?: unknown } | undefined;
      if (!entry) {
        anomalies.push(`${key} is not valid JSON`);
        continue;
      }
      if (entry.actionId !== m[2] || entry.attempt !== Number(m[3]) || Number(m[3]) < 1) {
        anomalies.push(`${key} does not match its own key`);
        continue;
      }
      const history = phases[m[1] as Phase].get(m[2] ?? '') ?? { attempts: [] };
      phases[m[1] as Phase].set(m[2] ?? '', history);
      const attempt = Number(m[3]);
      let slot = history.attempts.find((a) => a.attempt === attempt);
      if (!slot) {
        slot = { attempt };
        history.attempts.push(slot);
      }
      const side = m[4] as 'before' | 'after' | 'job';
      slot[side] = entry as never;
      slot[`${side}Sha256`] = sha256;
    } else if (REQUEST_KEY.test(rel)) {
      const n = Number(REQUEST_KEY.exec(rel)?.[1]);
      if (value) releaseRequests.push({ ...(value as ReleaseRequestEntry), sha256, n });
      else anomalies.push(`${key} is not valid JSON`);
    } else if (SEAL_KEY.test(rel)) {
      if (value) seals.push({ ...(value as SealEntry), sha256 });
      else anomalies.push(`${key} is not valid JSON`);
    }
  }
  for (const phase of Object.values(phases)) {
    for (const h of phase.values()) h.attempts.sort((a, b) => a.attempt - b.attempt);
  }
  seals.sort((a, b) => a.seal - b.seal);
  const record = parseEntry(claimText) as IncidentRecord | undefined;
  if (!record)
    throw new Error(`the claim of incident ${incidentId} is not valid JSON: the journal was altered`);
  const claimSha256 = entryHash(claimText);
  withClaimedBefores(record, phases.contain, claimSha256, anomalies);
  return {
    record,
    phases,
    releaseRequests,
    seals,
    anomalies,
    entries,
    claimSha256,
  };
}

/**
 * The claim's before-states as attempt 1's before-entries (hash: the claim's), so status, release
 * and the pack read them like any other. A before-entry file for such an attempt is an anomaly:
 * nothing writes one.
 */
function withClaimedBefores(
  record: IncidentRecord,
  contain: Map<string, ActionHistory>,
  claimSha256: string,
  anomalies: string[],
): void {
  for (const [actionId, claimed] of Object.entries(record.befores ?? {})) {
    const action = record.decision.actions.find((a) => a.id === actionId);
    if (!action) {
      anomalies.push(`incident.json records a before-state for ${actionId}, which is not in its plan`);
      continue;
    }
    const history = contain.get(actionId) ?? { attempts: [] };
    contain.set(actionId, history);
    let slot = history.attempts.find((a) => a.attempt === 1);
    if (!slot) {
      slot = { attempt: 1 };
      history.attempts.unshift(slot);
    }
    if (slot.before) {
      anomalies.push(`contain/${actionId}/001-before.json exists although the claim is its before-entry`);
      continue;
    }
    slot.before = {
      actionId,
      kind: action.kind,
      target: action.target,
      attempt: 1,
      at: record.createdAt,
      deadline: claimed.deadline,
      before: claimed.before,
      inverse: action.inverse,
    };
    slot.beforeSha256 = claimSha256;
  }
}

export function parseEntry(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
