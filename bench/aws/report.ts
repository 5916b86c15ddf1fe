import { spawnSync } from 'node:child_process';
import { incident, type Scenario } from './incident.ts';
import { LATENCY_MS } from './slow-client.ts';

/** One scaled incident in a fresh process: no scenario pays for another's heap. */
function inChild(scenario: Scenario): Awaited<ReturnType<typeof incident>> {
  const args = [
    process.argv[1] ?? 'bench/aws.ts',
    '--buckets',
    String(scenario.buckets),
    '--objects',
    String(scenario.objects),
    '--json',
  ];
  const run = spawnSync(process.execPath, scenario.lanes ? args : [...args, '--shared'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 ** 2,
  });
  if (run.status !== 0) throw new Error(`bench scenario ${JSON.stringify(scenario)} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

/** The reference incident, then the scaled ones (each in its own process), one line each. */
export async function criticalPath(): Promise<void> {
  const ref = await incident({ buckets: 2, objects: 200, lanes: true });
  console.log(
    `aws reference incident (${ref.actions} actions, ${ref.calls} calls at ${LATENCY_MS} ms each): sessions denied after ${ref.sessions.rounds} rounds (target 2: claim with the before-state, deny); ` +
      `keys and buckets cut off after ${ref.cutOff.rounds} rounds (${ref.cutOff.ms.toFixed(0)} ms: claim ∥ read, before-entry, change); containment complete and journaled after ${ref.containedRounds} rounds`,
  );
  console.log(
    `aws evidence complete after ${Math.round(ref.evidence / LATENCY_MS)} rounds (${ref.evidence.toFixed(0)} ms): ${ref.copied} objects copied server-side; object bytes through the function: ${ref.getObjects === 0 ? 0 : 'GetObject called!'} (target 0); 50 GB copy: ${ref.inFlight} parts in flight (target ≥ 16)`,
  );
  for (const [lanes, objects] of [
    [false, 1000],
    [true, 1000],
    [true, 100_000],
  ] as const) {
    for (const buckets of [1, 10, 50]) {
      const r = inChild({ buckets, objects, lanes });
      console.log(
        `aws ${lanes ? 'lanes ' : 'shared'} ${String(buckets).padStart(2)} buckets, ${objects.toLocaleString('en-US')} objects: sessions denied ${r.sessions.ms.toFixed(0)} ms (${r.sessions.rounds} rounds), ` +
          `everything cut off ${r.cutOff.ms.toFixed(0)} ms (${r.cutOff.rounds} rounds); ${r.calls} calls, function done after ${(r.inFunction / 1000).toFixed(1)} s; ` +
          `evidence ${r.failed ? `FAILED (${r.failed} actions)` : r.jobs ? `via ${r.jobs} Batch Operations jobs, ${r.jobsEnded} ends recorded, ${r.pending === 0 ? 'complete' : 'NOT complete'}` : 'complete in the function'}: ` +
          `${r.held.toLocaleString('en-US')} held, ${r.copied.toLocaleString('en-US')} copied; journal ${(r.journalBytes / 1024).toFixed(0)} KB`,
      );
    }
  }
}
