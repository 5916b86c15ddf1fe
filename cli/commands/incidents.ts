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
import { emit, outputFormat, shellWord, type View } from '../output.ts';
import { plural } from '../run-summary.ts';
import type { Tone } from '../style.ts';

const help = `Usage: tourniquet incidents list [--since TIME] [--status contained|released|failed]
       tourniquet incidents show ID
                          [--journal DIR] [--cloud aws|azure] [--config FILE] [--output FORMAT]

Lists every incident in the journal (the evidence store: S3 or Blob, or a local folder), newest
first, or shows one: its timeline and each action's outcome.

Options:
  --since TIME         only incidents claimed at or after TIME (ISO 8601, or 24h, 7d, 30m ago)
  --status STATUS      contained, released or failed (failed includes partially contained)
  --json               the same as --output json
${JOURNAL_HELP}`;

const STATUSES = ['contained', 'released', 'failed'] as const;

export const incidentsCommand: Command = {
  name: 'incidents',
  summary: 'list the incidents in the journal, or show one with its timeline',
  help,
  exits: ['ok', 'usage', 'credentials'],
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseFlags(
      rest,
      { ...JOURNAL_FLAGS, since: { type: 'string' }, status: { type: 'string' } },
      1,
    );
    const format = outputFormat(values, io);
    if (sub !== 'list' && sub !== 'show')
      throw new UsageError(`incidents needs "list" or "show ID", not ${JSON.stringify(sub ?? '')}`);
    if (sub === 'show' && !positionals[0]) throw new UsageError('incidents show needs an incident id');
    if (sub === 'list' && positionals.length)
      throw new UsageError(`incidents list takes no id (got ${positionals[0]})`);
    const since = values.since === undefined ? undefined : sinceTime(values.since, new Date());
    const status = values.status;
    if (status !== undefined && !STATUSES.includes(status as (typeof STATUSES)[number]))
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
    const { config } = loadConfigFile(values.config);
    const sources = await journalSources(values, config);
    if (sub === 'show') {
      const id = positionals[0] as string;
      const { state } = await findIncident(sources, id);
      emit(io, format, showOutput(state, where(values)));
      return EXIT.ok;
    }
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
    emit(io, format, {
      json: JSON.stringify(shown, null, 2),
      sections: [
        {
          table: {
            name: 'INCIDENT',
            columns: ['CLAIMED (UTC)', 'STATUS', 'CLOUD', 'DONE', 'INCIDENT', 'ALERT'],
            rows: shown.map((r) => [
              r.createdAt,
              { text: r.status, tone: STATUS_TONE[r.status] ?? 'bad' },
              r.cloud,
              `${r.done}/${r.actions}`,
              r.incidentId,
              r.alert,
            ]),
          },
        },
      ],
      summary: shown.length
        ? {
            headline: `${plural(shown.length, 'incident')} in ${sources.map((s) => s.name).join(', ')}`,
            tone: 'strong',
            next: [`tourniquet incidents show ${shown[0]?.incidentId}${where(values)}`],
          }
        : { headline: `no incidents in ${sources.map((s) => s.name).join(', ')}`, tone: 'dim' },
    });
    return EXIT.ok;
  },
};

const STATUS_TONE: Record<string, Tone> = { contained: 'good', released: 'dim', 'dry-run': 'warn' };

/** The `--journal DIR` a next command needs to read the same journal. */
const where = (values: { journal?: string | undefined }) =>
  values.journal !== undefined ? ` --journal ${shellWord(values.journal)}` : '';

function showOutput(state: IncidentState, journal: string): View {
  const view = showView(state);
  const id = view.incidentId;
  return {
    json: JSON.stringify(view, null, 2),
    sections: [
      {
        lines: [
          [
            { text: id, tone: 'strong' },
            { text: view.status, tone: STATUS_TONE[view.status] ?? 'bad' },
            `(${state.record.alert.source} ${state.record.alert.type})`,
          ],
        ],
        table: {
          name: 'EVENT',
          columns: ['AT (UTC)', 'WHAT'],
          rows: view.timeline.map((e) => [e.at, e.label]),
        },
      },
      {
        table: {
          name: 'ACTION',
          columns: ['ID', 'KIND', 'OUTCOME', 'RELEASE', 'TARGET'],
          rows: view.actions.map((m) => [
            m.actionId,
            m.kind,
            {
              text: m.outcome,
              tone: m.outcome === 'failed' ? 'bad' : m.outcome === 'applied' ? 'good' : 'dim',
            },
            m.release ?? '',
            m.error ? `${m.target}  ${m.error}` : m.target,
          ]),
        },
      },
    ],
    summary: {
      headline: `${id}: ${view.status}`,
      tone: STATUS_TONE[view.status] ?? 'bad',
      next: [
        `tourniquet report ${id}${journal} --out ${id}.html`,
        ...(view.status === 'released'
          ? []
          : [`tourniquet release${journal} --incident ${id} --reason "…" --dry-run`]),
      ],
    },
  };
}

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
