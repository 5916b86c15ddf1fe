import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { handleParsedEvent } from '../../core/handle.ts';
import { incidentJournal } from '../../core/journal.ts';
import { packPublisher } from '../../core/report/publish.ts';
import { parseFlags, readInput, required, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { fileStore } from '../file-store.ts';
import { SIMULATION_FILE } from '../journal-source.ts';
import { emit, outputFormat, shellWord } from '../output.ts';
import { parseAnyEvent } from '../parse-any-event.ts';
import { describeResult } from '../render.ts';
import { decisionLines, decisionRecord, resultsTable, runHeadline } from '../run-summary.ts';

const help = `Usage: tourniquet exercise --event FILE --out DIR [--config FILE]

Runs the whole response to an event end to end with no cloud account: the decision, containment
by the real executors against built-in simulated clouds (S3, IAM and EventBridge; Azure Storage,
RBAC, Entra and AI accounts), the journal, and the evidence pack. The simulated clouds act as in enforce mode
whatever the configuration says; no real cloud is ever called. A tabletop exercise for a team,
and the whole product on a laptop for a newcomer.

DIR (new or empty) receives the journal (incidents/<id>/journal/…), the evidence pack
(incidents/<id>/pack/001-contain.json and .html) and the simulated clouds' state (${SIMULATION_FILE}).
Then, on the same folder:
  tourniquet incidents list --journal DIR
  tourniquet report ID --journal DIR --format pdf --out pack.pdf
  tourniquet verify ID --journal DIR
  tourniquet release --journal DIR --incident ID --reason "exercise over"

Options:
  --event FILE    the event as delivered (EventBridge / Event Grid / Defender / Monitor JSON)
  --out DIR       where the journal, the pack and the simulation go (must be new or empty)
  --config FILE   configuration (default: ./tourniquet.config.json, else the example)`;

export const exerciseCommand: Command = {
  name: 'exercise',
  summary: 'rehearse the whole response to an event against simulated clouds (no account needed)',
  help,
  exits: ['ok', 'usage', 'rejected', 'incomplete'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      event: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string' },
    });
    const format = outputFormat(values, io);
    const eventPath = required(values.event, '--event', 'the event to rehearse (or - for stdin)');
    const out = resolve(required(values.out, '--out', 'a new or empty folder for the journal and the pack'));
    if (existsSync(out) && readdirSync(out).length)
      throw new UsageError(
        `--out ${values.out} is not empty: give a new folder (an exercise never reuses a journal)`,
      );
    const loaded = loadConfigFile(values.config);
    if (loaded.example) io.err(`(no --config given: using the example configuration ${loaded.path})`);
    const config = { ...loaded.config, mode: 'enforce' as const };
    const text = await readInput(eventPath);
    const parsed = parseAnyEvent(text);
    if (parsed.kind === 'rejected') {
      io.err(`input rejected: ${parsed.reason}`);
      return EXIT.rejected;
    }
    await mkdir(out, { recursive: true });
    const [{ simulatedWorld, saveWorld }, { simulatedRuntime }] = await Promise.all([
      import('../../sim/world.ts'),
      import('../../sim/runtime.ts'),
    ]);
    const world = simulatedWorld();
    world.seed(config, parsed.kind === 'alerts' ? parsed.alerts : []);
    const store = fileStore(out);
    const journal = incidentJournal(store);
    const cloud = parsed.kind === 'alerts' ? (parsed.alerts[0]?.cloud ?? 'aws') : 'aws';
    const publishPack = packPublisher(store, journal, config, (key) => join(out, key));
    const { deps } = simulatedRuntime(cloud, world, config, journal, {
      publishPack,
      onProgress: (r) => io.err(describeResult(r)),
    });
    io.err(`exercise: simulated ${cloud}, journal in ${out}`);
    let failed = false;
    const { outcomes, failure } = await handleParsedEvent(parsed, deps, { event: JSON.parse(text) });
    if (failure) {
      failed = true;
      io.err(`some actions failed: ${failure.message}`);
    }
    await saveWorld(world, join(out, SIMULATION_FILE));
    const incidents = outcomes.flatMap((o) =>
      o.report
        ? [
            {
              incidentId: o.decision.incidentId,
              status: o.report.status,
              chainHead: o.report.chainHead ?? null,
              pack: o.report.pack ?? null,
            },
          ]
        : [],
    );
    const json = JSON.stringify(
      {
        journal: out,
        simulation: join(out, SIMULATION_FILE),
        decisions: outcomes.map((o) => o.decision),
        incidents,
      },
      null,
      2,
    );
    const results = outcomes.flatMap((o) => o.report?.results ?? []);
    const dir = shellWord(values.out ?? out);
    emit(io, format, {
      json,
      sections: outcomes.map((o) => ({
        lines: decisionLines(o.decision),
        record: decisionRecord(o.decision),
        ...(o.report?.results.length ? { table: resultsTable(o.report.results) } : {}),
      })),
      summary: {
        ...(results.length
          ? runHeadline(results, { label: 'ENFORCED (simulated)', verb: 'applied in the simulated clouds' })
          : { headline: 'NOTHING TO DO — the decision leaves nothing to rehearse', tone: 'good' as const }),
        lines: [
          'EXERCISE — no real cloud was called',
          ...incidents.map(
            (i) =>
              `${i.incidentId}: ${i.status}; evidence pack in ${i.pack && 'location' in i.pack ? i.pack.location : '(not written)'}`,
          ),
        ],
        next: incidents.flatMap((i) => [
          `tourniquet report ${i.incidentId} --journal ${dir} --out ${i.incidentId}.html`,
          `tourniquet verify ${i.incidentId} --journal ${dir}`,
          `tourniquet release --journal ${dir} --incident ${i.incidentId} --reason "exercise over"`,
        ]),
      },
    });
    return failed ? EXIT.incomplete : EXIT.ok;
  },
};
