import { verifyChain } from '../../core/journal-chain.ts';
import { checkEvidence } from '../../core/report/evidence-check.ts';
import { evidenceOf } from '../../core/report/evidence-manifest.ts';
import { parseFlags, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { findIncident } from '../find-incident.ts';
import { JOURNAL_FLAGS, JOURNAL_HELP, journalSources } from '../journal-source.ts';

const help = `Usage: tourniquet verify ID [--json] [--journal DIR] [--cloud aws|azure] [--config FILE]

Recomputes the hash chain of an incident's journal (every entry names the SHA-256 of the entry it
follows; every seal lists the hash of every entry) and checks every evidence copy against what was
recorded (size, and the ETag or Content-MD5 where the store keeps one). Names exactly which entry
or object does not match: changed, removed, moved or reordered. Prints the chain head, which must
equal the one the evidence pack printed. Changes nothing.

Options:
  --json               the verdict as JSON on stdout
${JOURNAL_HELP}

Exit codes: 0 verified, 3 an entry or evidence copy does not match (or the journal has no chain),
1 usage, configuration or unknown incident.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: "prove an incident's journal and evidence copies unchanged (hash chain, checksums)",
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { ...JOURNAL_FLAGS, json: { type: 'boolean' }, incident: { type: 'string' } },
      1,
    );
    const id = positionals[0] ?? values.incident;
    if (!id) throw new UsageError('give the incident id: tourniquet verify ID');
    const { config } = loadConfigFile(values.config);
    const { source } = await findIncident(await journalSources(values, config), id);
    const chain = verifyChain(await source.journal.entries(id));
    const state = await source.journal.load(id);
    const evidence = state ? await checkEvidence(evidenceOf(state), await source.evidenceReader?.()) : [];
    const bad = evidence.filter((e) => e.status === 'missing' || e.status === 'mismatch');
    const ok = chain.status === 'verified' && bad.length === 0;
    if (values.json) io.out(JSON.stringify({ incidentId: id, verified: ok, chain, evidence }, null, 2));
    else {
      io.out(`${id}: ${ok ? 'VERIFIED' : 'NOT VERIFIED'}`);
      io.out(
        `  chain ${chain.status}: ${chain.entries} entries, ${chain.seals} seals, head ${chain.head ?? 'none'}`,
      );
      for (const p of chain.problems) io.out(`  ✗ ${p.key} ${p.problem}`);
      for (const k of chain.unsealed) io.out(`  ? ${k} written after the newest seal`);
      for (const e of evidence)
        io.out(
          `  ${e.status === 'match' ? '✓' : e.status === 'unchecked' ? '?' : '✗'} ${e.location} ${e.status}: ${e.detail}`,
        );
      if (chain.status === 'no-chain')
        io.out('  this journal was written before the hash chain existed: only its keys can be checked');
    }
    return ok ? EXIT.ok : EXIT.notVerified;
  },
};
