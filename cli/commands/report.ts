import { writeFile } from 'node:fs/promises';
import { incidentIds, loadIncidents, packOf } from '../../core/incidents.ts';
import { renderHtml } from '../../core/report/html.ts';
import { renderMarkdown } from '../../core/report/markdown.ts';
import { parseSubmission } from '../../core/report/submissions.ts';
import { parseFlags, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { findIncident } from '../find-incident.ts';
import { JOURNAL_FLAGS, JOURNAL_HELP, journalSources } from '../journal-source.ts';
import { printPdf } from '../pdf.ts';

const help = `Usage: tourniquet report ID [--format html|pdf|md|json] [--out FILE] [--time-zone ZONE]
                          [--journal DIR] [--cloud aws|azure] [--config FILE]

Builds the evidence pack of an incident from its journal: timeline (with a picture), containment
measures with the exact documents, before-states, undo and residual exposure, the evidence
manifest, indicators of compromise, the GDPR / NIS2 / DORA sections enabled in compliance.regimes
with their deadlines and status at report time, linked incidents, and the journal's chain head.
Fields only a person can fill are left as empty slots. Changes nothing.

Options:
  --format FORMAT      html (default), pdf (printed by the system Chromium), md, or json
  --out FILE           write there instead of stdout (required for pdf)
  --time-zone ZONE     show local times as labels next to UTC, e.g. Europe/Berlin
  --submitted STAGE=TIME
                       a notification already submitted (repeatable), so its clock shows met and
                       later stages count from it; STAGE: gdpr:notification, nis2:early-warning,
                       nis2:notification, nis2:final, dora:initial, dora:intermediate, dora:final
${JOURNAL_HELP}

PDF needs Chromium: /usr/bin/chromium (Debian: apt-get install -y chromium) or TOURNIQUET_CHROMIUM.
Exit codes: 0 written, 1 usage, configuration, unknown incident or no browser.`;

const FORMATS = ['html', 'pdf', 'md', 'json'] as const;

export const reportCommand: Command = {
  name: 'report',
  summary: 'the evidence pack of an incident (HTML, PDF, Markdown or JSON) with the regulatory clocks',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...JOURNAL_FLAGS,
        format: { type: 'string' },
        out: { type: 'string' },
        'time-zone': { type: 'string' },
        submitted: { type: 'string', multiple: true },
        incident: { type: 'string' },
      },
      1,
    );
    const id = positionals[0] ?? values.incident;
    if (!id)
      throw new UsageError('give the incident id: tourniquet report ID (see tourniquet incidents list)');
    const format = (values.format ?? 'html') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (format === 'pdf' && !values.out) throw new UsageError('--format pdf needs --out FILE');
    const timeZone = values['time-zone'];
    if (timeZone) checkZone(timeZone);
    const submissions = (values.submitted ?? []).map((text) => {
      const parsed = parseSubmission(text);
      if (typeof parsed === 'string') throw new UsageError(`--submitted ${parsed}`);
      return parsed;
    });
    const { config } = loadConfigFile(values.config);
    const sources = await journalSources(values, config);
    const { source } = await findIncident(sources, id);
    const others = [];
    for (const s of sources) {
      const { states } = await loadIncidents(
        s.journal,
        (await incidentIds(s.store)).filter((x) => x !== id),
      );
      others.push(...states.map((st) => st.record));
    }
    const pack = await packOf(source.store, source.journal, id, {
      config,
      now: new Date(),
      others,
      submissions,
    });
    if (!pack) throw new UsageError(`incident ${id} vanished while reading it`);
    const options = timeZone ? { timeZone } : {};
    const body =
      format === 'json'
        ? `${JSON.stringify(pack, null, 2)}\n`
        : format === 'md'
          ? renderMarkdown(pack, options)
          : format === 'html'
            ? renderHtml(pack, options)
            : await printPdf(renderHtml(pack, options));
    if (values.out) {
      await writeFile(values.out, body);
      io.err(
        `wrote the ${format} evidence pack of ${id} to ${values.out} (chain ${pack.chain.status}, head ${pack.chain.head ?? 'none'})`,
      );
    } else io.out(String(body).replace(/\n$/, ''));
    return EXIT.ok;
  },
};

function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new UsageError(`--time-zone ${zone} is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
  }
}
