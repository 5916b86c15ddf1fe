import { verifyChain } from '../../core/journal-chain.ts';
import { checkEvidence } from '../../core/report/evidence-check.ts';
import { evidenceOf } from '../../core/report/evidence-manifest.ts';
import { parseFlags, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { findIncident } from '../find-incident.ts';
import { JOURNAL_FLAGS, JOURNAL_HELP, journalSources } from '../journal-source.ts';
import { emit, outputFormat } from '../output.ts';

const help = `Usage: tourniquet verify ID [--journal DIR] [--cloud aws|azure] [--config FILE] [--output FORMAT]

Recomputes the hash chain of an incident's journal (every entry names the SHA-256 of the entry it
follows; every seal lists the hash of every entry) and checks every evidence copy against what was
recorded (size, and the ETag or Content-MD5 where the store keeps one). Names exactly which entry
or object does not match: changed, removed, moved or reordered. Prints the chain head, which must
equal the one the evidence pack printed. Changes nothing.

Options:
  --json               the same as --output json
${JOURNAL_HELP}

A journal written before the hash chain existed is not verified (exit 3): only its keys can be checked.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: "prove an incident's journal and evidence copies unchanged (hash chain, checksums)",
  help,
  exits: ['ok', 'usage', 'failed', 'credentials'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { ...JOURNAL_FLAGS, incident: { type: 'string' } }, 1);
    const format = outputFormat(values, io);
    const id = positionals[0] ?? values.incident;
    if (!id) throw new UsageError('give the incident id: tourniquet verify ID');
    const { config } = loadConfigFile(values.config);
    const { source } = await findIncident(await journalSources(values, config), id);
    const chain = verifyChain(await source.journal.entries(id));
    const state = await source.journal.load(id);
    const evidence = state ? await checkEvidence(evidenceOf(state), await source.evidenceReader?.()) : [];
    const bad = evidence.filter((e) => e.status === 'missing' || e.status === 'mismatch');
    const ok = chain.status === 'verified' && bad.length === 0;
    const mark = (status: string) =>
      status === 'match'
        ? { text: '✓', tone: 'good' as const }
        : status === 'unchecked'
          ? { text: '?', tone: 'warn' as const }
          : { text: '✗', tone: 'bad' as const };
    emit(io, format, {
      json: JSON.stringify({ incidentId: id, verified: ok, chain, evidence }, null, 2),
      sections: [
        {
          lines: [
            [{ text: `${id}: ${ok ? 'VERIFIED' : 'NOT VERIFIED'}`, tone: ok ? 'good' : 'bad' }],
            [
              `  chain ${chain.status}: ${chain.entries} entries, ${chain.seals} seals, head ${chain.head ?? 'none'}`,
            ],
            ...chain.problems.map((p) => [{ text: `  ✗ ${p.key} ${p.problem}`, tone: 'bad' as const }]),
            ...chain.unsealed.map((k) => [
              { text: `  ? ${k} written after the newest seal`, tone: 'warn' as const },
            ]),
            ...(chain.status === 'no-chain'
              ? [['  this journal was written before the hash chain existed: only its keys can be checked']]
              : []),
          ],
          table: {
            name: 'EVIDENCE',
            columns: ['', 'STATUS', 'LOCATION', 'DETAIL'],
            rows: evidence.map((e) => [mark(e.status), e.status, e.location, e.detail]),
          },
        },
      ],
      summary: ok
        ? {
            headline: `${id}: VERIFIED — the journal chain and ${evidence.length} evidence cop${evidence.length === 1 ? 'y' : 'ies'} are as recorded`,
            tone: 'good',
          }
        : {
            headline: `${id}: NOT VERIFIED — ${chain.status === 'verified' ? `${bad.length} evidence cop${bad.length === 1 ? 'y does' : 'ies do'} not match` : `chain ${chain.status}`}`,
            tone: 'bad',
            lines: ['Investigate who wrote to the evidence store; the lines above name each entry or copy.'],
          },
    });
    return ok ? EXIT.ok : EXIT.failed;
  },
};
