import { localLabel } from './clock.ts';
import type { EvidencePack } from './pack.ts';
import type { PackField, RegimeSection } from './regime-context.ts';
import { esc, timelineSvg } from './timeline-svg.ts';

export interface RenderOptions {
  /** IANA time zone for local-time labels next to the UTC times (deadlines are always UTC). */
  timeZone?: string;
}

const REGIME_TITLES = {
  gdpr: 'GDPR Art. 33: notification of a personal data breach',
  nis2: 'NIS2 Art. 23: early warning, incident notification, final report',
  dora: 'DORA: major ICT-related incident report (Implementing Regulation (EU) 2025/302 Annex I)',
} as const;

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#101828;margin:2rem auto;max-width:1040px;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #eaecf0;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #eaecf0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f9fafb}code,pre{font:12px ui-monospace,Menlo,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:0;max-height:18rem;overflow:auto}
.due{color:#b54708}.overdue{color:#b42318;font-weight:600}.met{color:#027a48}.slot{background:#fffaeb;color:#93370d}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}.pair pre{background:#f9fafb;border:1px solid #eaecf0;padding:.4rem}
h4{margin:1rem 0 .3rem;font-size:.95rem}.ok{color:#027a48}.bad{color:#b42318;font-weight:600}.muted{color:#667085}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}`;

/**
 * The evidence pack as one self-contained HTML page (inline CSS and SVG, no script, no external
 * resource; a Content-Security-Policy forbids loading any): what a DPO, a lawyer or a CSIRT reads,
 * and what `--format pdf` prints.
 */
export function renderHtml(pack: EvidencePack, options: RenderOptions = {}): string {
  const t = (iso: string | null) =>
    iso
      ? `<time datetime="${esc(iso)}">${esc(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time>${options.timeZone ? ` <span class="muted">${esc(localLabel(iso, options.timeZone))}</span>` : ''}`
      : '—';
  const section = (id: string, title: string, body: string) =>
    `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
  const rows = (head: string[], body: string[][]) =>
    `<table>${head.some((h) => h) ? `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` : ''}<tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const json = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2) ?? 'null')}</pre>`;
  const list = (items: string[]) =>
    items.length
      ? `<ul>${items.map((i) => `<li><code>${esc(i)}</code></li>`).join('')}</ul>`
      : '<p class="muted">none given by the alerts</p>';

  const summary = rows(
    ['', ''],
    [
      ['Incident', `<code>${esc(pack.incidentId)}</code>`],
      ['Status', esc(pack.status)],
      ['Entity', esc(pack.entity?.name ?? '— (compliance.entity not configured)')],
      [
        'Alert',
        `${esc(pack.alert.source)} <code>${esc(pack.alert.type)}</code>, severity ${pack.alert.severity}, ${esc(pack.alert.cloud)} ${esc(pack.alert.account)}${pack.alert.region ? ` ${esc(pack.alert.region)}` : ''}`,
      ],
      ['First observed activity', t(pack.firstActivityAt)],
      ['Awareness (alert received)', t(pack.awareAt)],
      ['Classification (decision to contain)', t(pack.classifiedAt)],
      ['Released', t(pack.releasedAt)],
      [
        'Trigger',
        esc(
          pack.trigger.kind === 'manual'
            ? `by hand: ${pack.trigger.approver ?? ''} — ${pack.trigger.reason ?? ''}`
            : 'automatic (alert)',
        ),
      ],
      ['Report generated', t(pack.generatedAt)],
    ],
  );
  const clocks = Object.entries(pack.regimes).map(([regime, s]) =>
    (s as RegimeSection).clocks.map((c) => [
      esc(regime.toUpperCase()),
      esc(c.stage),
      t(c.deadline),
      `<span class="${c.status}">${esc(c.text)}</span>`,
      esc(c.basis),
    ]),
  );
  const timeline =
    timelineSvg(pack.timeline) +
    rows(
      ['#', 'Time (UTC)', 'What'],
      pack.timeline.map((e, i) => [String(i + 1), t(e.at), esc(e.label)]),
    );
  const measures =
    rows(
      ['Action', 'Target', 'Outcome', 'Undo', 'Residual exposure'],
      pack.measures.map((m) => [
        `<code>${esc(m.actionId)}</code> ${esc(m.kind)}`,
        `<code>${esc(m.target)}</code>`,
        `<span class="${m.outcome === 'applied' || m.outcome === 'already-applied' ? 'ok' : 'bad'}">${esc(m.outcome)}</span>${m.error ? `<br>${esc(m.error)}` : ''}${m.release.outcome !== 'not-released' ? `<br>release: ${esc(m.release.outcome)}` : ''}`,
        esc(m.inverse),
        esc(m.residual),
      ]),
    ) +
    pack.measures
      .map(
        (m) =>
          `<div class="docs" id="documents-${esc(m.actionId)}"><h4><code>${esc(m.actionId)}</code> ${esc(m.kind)}: what was written, and what was there before</h4><div class="pair"><div><strong>Documents written</strong>${json(m.documents)}</div><div><strong>Before-state</strong>${json(m.before)}</div></div></div>`,
      )
      .join('');
  const notDone = pack.measures.filter((m) => m.outcome !== 'applied' && m.outcome !== 'already-applied');
  const evidence = pack.evidence.length
    ? rows(
        [
          'Store',
          'Object',
          'Version / snapshot',
          'Size',
          'Checksums',
          'SHA-256',
          'Evidence copy',
          'Retention',
        ],
        pack.evidence.map((e) => [
          esc(`${e.cloud} ${e.store}`),
          `<code>${esc(e.key)}</code>`,
          `<code>${esc(e.version)}</code>`,
          String(e.size),
          esc(
            Object.entries(e.checksums)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || (e.etag ? `ETag ${e.etag}` : '—'),
          ),
          e.sha256 ? `<code>${esc(e.sha256)}</code>` : '<span class="muted">not computed</span>',
          e.copy
            ? `<code>${esc(e.copy.location)}</code>${e.check ? `<br><span class="${e.check.status === 'match' ? 'ok' : 'bad'}">${esc(e.check.status)}: ${esc(e.check.detail)}</span>` : ''}`
            : '<span class="bad">no copy</span>',
          esc(e.retention),
        ]),
      )
    : '<p class="muted">no object was pinned or copied for this incident</p>';
  const i = pack.iocs;
  const iocs = rows(
    ['Kind', 'Values'],
    [
      ['Principals', list(i.principals)],
      ['Sessions', list(i.sessions)],
      ['Access key ids', list(i.accessKeyIds)],
      ['Source IPs', list(i.sourceIps)],
      ['User agents', list(i.userAgents)],
      ['SAS signature hashes', list(i.sasSignatureHashes)],
      ['Other accounts', list(i.accounts)],
    ],
  );
  const field = (id: string, f: PackField) => [
    `<code>${esc(id)}</code>`,
    esc(f.label),
    f.value === null
      ? `<span class="slot">to be filled in${f.note ? `: ${esc(f.note)}` : ''}</span>`
      : `${Array.isArray(f.value) ? list(f.value) : esc(typeof f.value === 'boolean' ? (f.value ? 'yes' : 'no') : String(f.value))}${f.note ? `<br><span class="muted">${esc(f.note)}</span>` : ''}`,
    esc(f.source),
  ];
  const regimes = Object.entries(pack.regimes)
    .map(([regime, s]) => {
      const sec = s as RegimeSection;
      const delay = sec.delayReasons
        ? rows(['', '', 'Value', 'Source'], [field('delay', sec.delayReasons)])
        : '';
      return `<section id="regime-${regime}"><h3>${esc(REGIME_TITLES[regime as keyof typeof REGIME_TITLES])}</h3>
<p>Next deadline ${t(sec.deadline)}: <span class="${sec.status}">${esc(sec.text)}</span></p>${sec.notes.map((n) => `<p><strong>Note:</strong> ${esc(n)}</p>`).join('')}
${rows(
  ['Field', 'Content', 'Value', 'Source'],
  Object.entries(sec.fields).map(([id, f]) => field(id, f)),
)}${delay}</section>`;
    })
    .join('');
  const exposed = rows(
    ['Asset', 'Kind', 'How', 'Data categories', 'Personal data', 'Records', 'Data subjects'],
    pack.exposed.map((e) => [
      esc(`${e.cloud} ${e.name}`),
      esc(e.kind),
      esc(e.how),
      esc(e.dataCategories?.join(', ') ?? 'unknown'),
      esc(e.personalData === null ? 'unknown' : String(e.personalData)),
      esc(String(e.approxRecords ?? 'unknown')),
      esc(String(e.approxDataSubjects ?? 'unknown')),
    ]),
  );
  const chain = `<p>Chain head (SHA-256 of the newest seal): <code id="chain-head">${esc(pack.chain.head ?? 'none')}</code></p>
<p>${pack.chain.entries} journal entries; chain <span class="${pack.chain.verified ? 'ok' : 'bad'}">${esc(pack.chain.status)}</span>.</p>
${
  pack.chain.problems.length
    ? rows(
        ['Entry', 'Problem'],
        pack.chain.problems.map((p) => [`<code>${esc(p.key)}</code>`, esc(p.problem)]),
      )
    : ''
}
${pack.chain.unsealed.length ? `<p>Written after the newest seal: ${pack.chain.unsealed.map((k) => `<code>${esc(k)}</code>`).join(', ')}</p>` : ''}
<p class="muted">Recompute with <code>tourniquet verify ${esc(pack.incidentId)}</code>; the head printed here must equal the one it reports.</p>`;
  const linked = pack.linked.length
    ? rows(
        ['Incident', 'Cloud', 'Claimed', 'Shared'],
        pack.linked.map((l) => [
          `<code>${esc(l.incidentId)}</code>`,
          esc(l.cloud),
          t(l.createdAt),
          list(l.shared),
        ]),
      )
    : '<p class="muted">no other incident shares an actor or an artifact with this one</p>';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence pack ${esc(pack.incidentId)}</title><style>${STYLE}</style></head><body>
<header><h1>Evidence pack: incident <code>${esc(pack.incidentId)}</code></h1><p class="muted">Tourniquet evidence pack v${pack.packVersion}. Times are UTC${options.timeZone ? `, with ${esc(options.timeZone)} local time as a label` : ''}. Fields marked “to be filled in” are for a person to complete; nothing in them was guessed.</p></header>
${section('summary', 'Summary', summary)}
${section('clocks', 'Clocks', clocks.length ? rows(['Regime', 'Stage', 'Deadline (UTC)', 'Status', 'How it is counted'], clocks.flat()) : '<p class="muted">no regime enabled in compliance.regimes</p>')}
${section('timeline', 'Timeline', timeline)}
${section('measures', 'Containment measures', measures + (notDone.length ? `<p><strong>Not done:</strong></p><ul>${notDone.map((m) => `<li><code>${esc(m.actionId)}</code> ${esc(m.kind)}: ${esc(m.outcome)}${m.error ? ` — ${esc(m.error)}` : ''}</li>`).join('')}</ul>` : ''))}
${section('exposure', 'Data exposed', exposed)}
${section('evidence', 'Evidence manifest', evidence)}
${section('iocs', 'Indicators of compromise', iocs)}
${section('regulatory', 'Regulatory notifications', regimes || '<p class="muted">no regime enabled in compliance.regimes</p>')}
${section('linked', 'Linked incidents', linked)}
${section('chain', 'Tamper evidence', chain)}
</body></html>
`;
}
