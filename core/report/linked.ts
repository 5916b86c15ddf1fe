import type { Alert } from '../alert.ts';
import type { IncidentRecord } from '../journal.ts';

/** Another incident that shares an actor or an artifact with this one (same cloud or the other). */
export interface LinkedIncident {
  incidentId: string;
  cloud: Alert['cloud'];
  createdAt: string;
  shared: string[];
}

/**
 * Actors are principal ids and their aliases (access keys, sessions, IPs); artifacts are resource
 * ids and, across clouds, object and blob file names (the last path segment, when it is specific
 * enough: a dot and 8 characters or more, e.g. `model-00001.safetensors`).
 */
function marks(alert: Alert): Set<string> {
  const out = new Set<string>();
  const p = alert.principal;
  if (p) {
    out.add(`actor ${p.id}`);
    for (const a of p.aliases) out.add(`actor ${a.type} ${a.value}`);
    if (p.accessKeyId) out.add(`actor access-key-id ${p.accessKeyId}`);
  }
  for (const r of alert.resources) {
    if (r.kind === 'access-key') out.add(`actor access-key-id ${r.id}`);
    else out.add(`artifact ${r.id}`);
    if (r.kind === 'object' || r.kind === 'blob') {
      const name = r.id.split(/[/?#]/).filter(Boolean).at(-1) ?? '';
      if (name.length >= 8 && name.includes('.')) out.add(`artifact file ${decodeURIComponent(name)}`);
    }
  }
  return out;
}

/** Incidents among `others` that share a mark with `record`, newest first. */
export function linkedIncidents(record: IncidentRecord, others: readonly IncidentRecord[]): LinkedIncident[] {
  const mine = marks(record.alert);
  return others
    .filter((o) => o.incidentId !== record.incidentId && o.alert)
    .map((o) => ({ o, shared: [...marks(o.alert)].filter((m) => mine.has(m)).sort() }))
    .filter((x) => x.shared.length > 0)
    .map(({ o, shared }) => ({
      incidentId: o.incidentId,
      cloud: o.alert.cloud,
      createdAt: o.createdAt,
      shared,
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
