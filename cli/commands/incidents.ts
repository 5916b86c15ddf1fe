import { incidentIds, loadIncidents } from '../../core/incidents.ts';
import type { IncidentState } from '../../core/journal.ts';
import { firstSeenIn } from '../../core/report/iocs.ts';
import { measuresOf } from '../../core/report/measures.ts';
import { statusOf } from '../../core/report/pack.ts';
import { timelineOf } from '../../core/report/timeline.ts';
import { parseFlags, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { findIncident } from '../find-incident.ts';
import { JOURNAL_FLAGS, JOURNAL_HELP, journalSources } from '../journal-source.ts';

const help = `Usage: tourniquet incidents list [--since TIME] [--status contained|released|failed] [--json]
       tourniquet incidents show ID [--json]
                          [--journal DIR] [--cloud aws|azure] [--config FILE]

Lists every incident in the journal (the evidence store: S3 or Blob, or a local folder), newest
first, or shows one: its timeline and each action's outcome. A table on a terminal, JSON with --json.

Options:
  --since TIME         only incidents claimed at or after TIME (ISO 8601, or 24h, 7d, 30m ago)
  --status STATUS      contained, released or failed (failed includes partially contained)
  --json               JSON on stdout instead of a table
${JOURNAL_HELP}

Exit codes: 0 listed or shown, 1 usage, configuration or unknown incident.`;

const STATUSES = ['contained', 'released', 'failed'] as const;

export const incidentsCommand: Command = {
  name: 'incidents',
  summary: 'list the incidents in the journal, or show one with its timeline',
  help,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseFlags(
      rest,
      { ...JOURNAL_FLAGS, since: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } },
      1,
    );
    const { config } = loadConfigFile(values.config);
    const sources = await journalSources(values, config);
    if (sub === 'show') {
      const id = positionals[0];
      if (!id) throw new UsageError('incidents show needs an incident id');
      const { state } = await findIncident(sources, id);
      const view = showView(state);
      if (values.json) io.out(JSON.stringify(view, null, 2));
      else {
        io.out(`${id} ${view.status} (${state.record.alert.source} ${state.record.alert.type})`);
        for (const e of view.timeline) io.out(`  ${e.at}  ${e.label}`);
        io.out('actions:');
        for (const m of view.actions)
          io.out(
            `  ${m.actionId} ${m.kind.padEnd(26)} ${m.outcome.padEnd(15)} ${m.target}${m.error ? `  ${m.error}` : ''}`,
          );
      }
      return EXIT.ok;
    }
    if (sub !== 'list')
      throw new UsageError(`incidents needs "list" or "show ID", not ${JSON.stringify(sub ?? '')}`);
    if (positionals.length) throw new UsageError(`incidents list takes no id (got ${positionals[0]})`);
    const since = values.since === undefined ? undefined : sinceTime(values.since, new Date());
    const status = values.status;
    if (status !== undefined && !STATUSES.includes(status as (typeof STATUSES)[number]))
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
    const rows: ReturnType<typeof listRow>[] = [];
    for (const source of sources) {
      const { states, unreadable } = await loadIncidents(source.journal, await incidentIds(source.store));
      for (const u of unreadable) io.err(`${source.name}: ${u.incidentId} cannot be read: ${u.error}`);
      rows.push(...states.map((s) => listRow(s, source.name)));
    }
    const shown = rows
      .filter((r) => !since || r.createdAt >= since)
      .filter(
        (r) =>
          !status ||
          (status === 'failed'
            ? r.status === 'failed' || r.status === 'partially-contained'
            : r.status === status),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (values.json) io.out(JSON.stringify(shown, null, 2));
    else {
      io.out(
        `${'CLAIMED (UTC)'.padEnd(25)}${'STATUS'.padEnd(21)}${'CLOUD'.padEnd(7)}${'ACTIONS'.padEnd(9)}INCIDENT  ALERT`,
      );
      for (const r of shown)
        io.out(
          `${r.createdAt.padEnd(25)}${r.status.padEnd(21)}${r.cloud.padEnd(7)}${`${r.done}/${r.actions}`.padEnd(9)}${r.incidentId}  ${r.alert}`,
        );
      if (!shown.length) io.err('no incidents');
    }
    return EXIT.ok;
  },
};

function listRow(state: IncidentState, source: string) {
  const measures = measuresOf(state);
  const releasedAt =
    state.releaseRequests
      .map((r) => r.at)
      .sort()
      .at(-1) ?? null;
  return {
    incidentId: state.record.incidentId,
    createdAt: state.record.createdAt,
    status: statusOf(measures, releasedAt),
    cloud: state.record.alert.cloud,
    alert: `${state.record.alert.source} ${state.record.alert.type}`,
    actions: measures.length,
    done: measures.filter((m) => m.outcome === 'applied' || m.outcome === 'already-applied').length,
    releasedAt,
    source,
  };
}

function showView(state: IncidentState) {
  const measures = measuresOf(state);
  const { record } = state;
  const awareAt = record.receivedAt ?? record.createdAt;
  const eventText = state.entries.find((e) => e.key === 'event.json')?.text;
  let seen: string | undefined;
  try {
    seen = eventText ? firstSeenIn(JSON.parse(eventText)) : undefined;
  } catch {
    seen = undefined;
  }
  const firstActivity = [seen, record.alert.observedAt].filter((t): t is string => !!t).sort()[0] ?? awareAt;
  return {
    incidentId: record.incidentId,
    status: statusOf(
      measures,
      state.releaseRequests
        .map((r) => r.at)
        .sort()
        .at(-1) ?? null,
    ),
    alert: record.alert,
    timeline: timelineOf(state, {
      firstActivity,
      awareAt,
      classifiedAt: record.createdAt,
    }),
    actions: measures.map((m) => ({
      actionId: m.actionId,
      kind: m.kind,
      target: m.target,
      outcome: m.outcome,
      error: m.error,
      release: m.release.outcome,
    })),
  };
}

/** ISO 8601, or a duration back from now: 30m, 24h, 7d. */
export function sinceTime(value: string, now: Date): string {
  const m = /^(\d+)([mhd])$/.exec(value);
  if (m)
    return new Date(
      now.getTime() - Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'],
    ).toISOString();
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(`--since ${value}: give an ISO 8601 time or a duration like 24h or 7d`);
  return new Date(t).toISOString();
}
