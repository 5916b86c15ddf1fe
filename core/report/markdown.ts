import { localLabel } from './clock.ts';
import type { RenderOptions } from './html.ts';
import type { EvidencePack } from './pack.ts';
import type { PackField, RegimeSection } from './regime-context.ts';

/** Table cells: pipes and newlines would break the row. */
const cell = (v: unknown) =>
  String(v ?? '—')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');

/** The evidence pack as Markdown, for tickets and wikis: the same sections as the HTML, no picture. */
export function renderMarkdown(pack: EvidencePack, options: RenderOptions = {}): string {
  const t = (iso: string | null) =>
    iso ? `${iso}${options.timeZone ? ` (${localLabel(iso, options.timeZone)})` : ''}` : '—';
  const table = (head: string[], rows: unknown[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `|${head.map(() => ' --- |').join('')}`,
      ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ].join('\n');
  const value = (f: PackField) =>
    f.value === null
      ? `**to be filled in**${f.note ? `: ${f.note}` : ''}`
      : `${Array.isArray(f.value) ? f.value.join('; ') : typeof f.value === 'boolean' ? (f.value ? 'yes' : 'no') : f.value}${f.note ? ` (${f.note})` : ''}`;
  const out: string[] = [
    `# Evidence pack: incident \`${pack.incidentId}\``,
    '',
    `Status **${pack.status}** · ${pack.alert.source} \`${pack.alert.type}\` severity ${pack.alert.severity} · ${pack.entity?.name ?? 'entity not configured'}`,
    '',
    table(
      ['', ''],
      [
        ['First observed activity', t(pack.firstActivityAt)],
        ['Awareness (alert received)', t(pack.awareAt)],
        ['Classification (decision to contain)', t(pack.classifiedAt)],
        ['Released', t(pack.releasedAt)],
        ['Report generated', t(pack.generatedAt)],
      ],
    ),
    '',
    '## Clocks',
    '',
    table(
      ['Regime', 'Stage', 'Deadline (UTC)', 'Status', 'How it is counted'],
      Object.entries(pack.regimes).flatMap(([r, s]) =>
        (s as RegimeSection).clocks.map((c) => [r.toUpperCase(), c.stage, t(c.deadline), c.text, c.basis]),
      ),
    ),
    '',
    '## Timeline',
    '',
    table(
      ['#', 'Time (UTC)', 'What'],
      pack.timeline.map((e, i) => [i + 1, e.at, e.label]),
    ),
    '',
    '## Containment measures',
    '',
    table(
      ['Action', 'Target', 'Outcome', 'Undo', 'Residual exposure'],
      pack.measures.map((m) => [
        `${m.actionId} ${m.kind}`,
        m.target,
        `${m.outcome}${m.error ? `: ${m.error}` : ''}`,
        m.inverse,
        m.residual,
      ]),
    ),
    '',
    ...pack.measures.flatMap((m) => [
      `### ${m.actionId} ${m.kind}: documents written and before-state`,
      '',
      '```json',
      JSON.stringify({ documents: m.documents, before: m.before }, null, 2),
      '```',
      '',
    ]),
    '## Data exposed',
    '',
    table(
      ['Asset', 'Kind', 'How', 'Data categories', 'Personal data', 'Records', 'Data subjects'],
      pack.exposed.map((e) => [
        `${e.cloud} ${e.name}`,
        e.kind,
        e.how,
        e.dataCategories?.join(', ') ?? 'unknown',
        e.personalData ?? 'unknown',
        e.approxRecords ?? 'unknown',
        e.approxDataSubjects ?? 'unknown',
      ]),
    ),
    '',
    '## Evidence manifest',
    '',
    table(
      ['Store', 'Object', 'Version / snapshot', 'Size', 'Checksums', 'SHA-256', 'Evidence copy', 'Retention'],
      pack.evidence.map((e) => [
        `${e.cloud} ${e.store}`,
        e.key,
        e.version,
        e.size,
        Object.entries(e.checksums)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || `ETag ${e.etag ?? '—'}`,
        e.sha256 ?? 'not computed',
        e.copy ? `${e.copy.location}${e.check ? ` (${e.check.status}: ${e.check.detail})` : ''}` : 'no copy',
        e.retention,
      ]),
    ),
    '',
    '## Indicators of compromise',
    '',
    table(
      ['Kind', 'Values'],
      Object.entries(pack.iocs).map(([k, v]) => [
        k,
        (v as string[]).join(', ') || 'none given by the alerts',
      ]),
    ),
    '',
    '## Regulatory notifications',
    '',
  ];
  for (const [regime, s] of Object.entries(pack.regimes)) {
    const sec = s as RegimeSection;
    out.push(
      `### ${regime.toUpperCase()}: next deadline ${t(sec.deadline)} — ${sec.text}`,
      '',
      ...sec.notes.map((n) => `> ${n}\n`),
    );
    const fields = Object.entries(sec.fields).map(([id, f]) => [id, f.label, value(f), f.source]);
    if (sec.delayReasons) fields.push(['delay', sec.delayReasons.label, value(sec.delayReasons), 'human']);
    out.push(table(['Field', 'Content', 'Value', 'Source'], fields), '');
  }
  out.push(
    '## Linked incidents',
    '',
    pack.linked.length
      ? table(
          ['Incident', 'Cloud', 'Claimed', 'Shared'],
          pack.linked.map((l) => [l.incidentId, l.cloud, l.createdAt, l.shared.join(', ')]),
        )
      : 'none',
    '',
    '## Tamper evidence',
    '',
    `Chain head (SHA-256 of the newest seal): \`${pack.chain.head ?? 'none'}\` · ${pack.chain.entries} entries · chain ${pack.chain.status}`,
    ...pack.chain.problems.map((p) => `- \`${p.key}\` ${p.problem}`),
    '',
  );
  return out.join('\n');
}
