/**
 * `npm run bench:detect:actors`: detector state against the number of distinct actors.
 *
 * For 1k / 100k / 1M distinct STS sessions reading model weights, each in a child process with the
 * scan function's heap (--max-old-space-size=160, serverless.yml), prints:
 * - state: the detectors' live heap after observing every record (before the final flush),
 * - peak RSS (VmHWM) of a full `scan` of a CloudTrail log object with that many sessions, and its
 *   peak heap used (sampled every 20 ms, between batches),
 * - flush time of the windows against a fake store taking 10 ms per call (32 calls at a time) and
 *   10 ms per batch of 100 (Azure Tables transactions), spills included, and the share of it the
 *   actors' own baselines add (issue 7: extra calls and items on the `baseline*|<actor>` keys).
 * BENCH_ACTORS=1000,100000 picks the sizes; BENCH_ACTORS_CAP sets detect.maxStateEntries;
 * BENCH_ACTORS_NO_RULES=1 scans with no detectors (what the parsers alone hold); BENCH_ACTORS_HEAP_MB the heap (0: V8's default).
 * BENCH_ACTORS_SNAPSHOT=N (with --scan) writes a heap snapshot when the log reaches record N, to see what is retained.
 * The per-call flush at 1M takes ~5 min (1M × 10 ms / 32): it runs only with BENCH_ACTORS_FULL=1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../core/config.ts';
import { createDetectors } from '../core/detect/detectors.ts';
import type { ObjectAccess } from '../core/detect/records.ts';
import { createScanSession } from '../core/detect/scan.ts';
import { PACKS } from '../packs/index.ts';
import { ACCOUNT, chunked, cloudTrail, fakeStore, session, T0 } from './detect-actors-fixtures.ts';

const config = parseConfig({
  aws: {
    accounts: [ACCOUNT],
    responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
    assets: [{ bucket: 'models-prod', kind: 'model-weights' }],
    evidenceBucket: `ir-evidence-${ACCOUNT}`,
  },
  detect: {
    knownReaders: [`arn:aws:iam::${ACCOUNT}:role/role-1`],
    expectedNetworks: ['10.20.0.0/16'],
    ...(process.env.BENCH_ACTORS_CAP ? { maxStateEntries: Number(process.env.BENCH_ACTORS_CAP) } : {}),
  },
});

function peakRssMb(): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** Child: the scan of one log object; prints peak RSS. */
async function scanChild(actors: number) {
  const scan = createScanSession(config, fakeStore(0), {
    packs: PACKS,
    ...(process.env.BENCH_ACTORS_NO_RULES ? { detectors: [] } : {}),
  });
  // Live heap, sampled between batches (the scan awaits there): tells the heap that grows with the
  // actors from RSS that only follows the heap limit.
  let peakHeap = 0;
  const sampleHeap = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const sample = setInterval(sampleHeap, 20);
  const start = performance.now();
  const read = { bytes: 0 };
  const { stats, alerts } = await scan.scan(chunked(cloudTrail(actors), read), {
    format: 'cloudtrail',
  });
  sampleHeap();
  console.log(
    JSON.stringify({
      records: stats.records,
      logMb: read.bytes / 1024 / 1024,
      alerts: alerts.length,
      seconds: (performance.now() - start) / 1000,
      rssMb: peakRssMb(),
      heapMb: peakHeap / 1024 / 1024,
    }),
  );
  clearInterval(sample);
}

/** Child: the detectors' state after observing every record, then the flush against a slow store. */
async function stateChild(actors: number, mode: 'call' | 'batch' | 'none') {
  const detectors = createDetectors(config);
  const store = fakeStore(mode === 'none' ? 0 : 10, mode === 'batch' ? 100 : undefined);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let spillSeconds = 0;
  for (let n = 0; n < 2 * actors; n++) {
    const i = n % actors;
    const { role, session: s } = session(i);
    const r: ObjectAccess = {
      kind: 'object-access',
      op: 'read',
      cloud: 'aws',
      account: ACCOUNT,
      region: 'us-east-1',
      at: T0 + (n % 3_000_000),
      principal: {
        id: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        kind: 'role',
        account: ACCOUNT,
        name: role,
        aliases: [{ type: 'session-arn', value: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${s}` }],
        certain: true,
      },
      store: { id: 'arn:aws:s3:::models-prod', kind: 'bucket', name: 'models-prod' },
      key: `weights/model-${String(n % 400).padStart(5, '0')}-of-00400.safetensors`,
      objectId: `s3://models-prod/weights/model-${String(n % 400).padStart(5, '0')}-of-00400.safetensors`,
      bytes: 1_000_000,
      network: { ip: `10.20.${i % 250}.${i % 200}` },
      sourceId: `ev-${n}`,
    };
    for (const d of detectors) d.observe(r);
    // As the scan does between batches (every 1000 records here).
    if (n % 1000 === 999) {
      const t = performance.now();
      for (const d of detectors) if (d.hasSpilled?.()) await d.flush(store, 'spilled');
      spillSeconds += (performance.now() - t) / 1000;
    }
  }
  gc?.();
  const stateBytes = process.memoryUsage().heapUsed - before;
  if (mode === 'none') return console.log(JSON.stringify({ stateBytes }));
  const t = performance.now();
  for (const d of detectors) await d.flush(store);
  const flushSeconds = spillSeconds + (performance.now() - t) / 1000;
  console.log(JSON.stringify({ stateBytes, flushSeconds, calls: store.calls, baseline: store.baseline }));
}

/** The baseline's share of a flush: its extra store calls (items: 4 keys per actor, loaded then added) and time. */
function ownBaseline(b: { calls: number; items: number; rounds: number; seconds: number }) {
  return `+${b.calls} calls, ${b.items} items${b.rounds ? ` in ${b.rounds} batched rounds` : ''}, ${b.seconds.toFixed(1)} s`;
}

function child(args: string[]) {
  const heap = Number(process.env.BENCH_ACTORS_HEAP_MB ?? 160);
  const flags = ['--expose-gc', ...(heap ? [`--max-old-space-size=${heap}`] : [])];
  const run = spawnSync(process.execPath, [...flags, import.meta.filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0)
    return { error: (run.stderr || `exit ${run.status}`).trim().split('\n').slice(-2).join(' ') };
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

async function main() {
  const sizes = (process.env.BENCH_ACTORS ?? '1000,100000,1000000').split(',').map(Number);
  const heap = Number(process.env.BENCH_ACTORS_HEAP_MB ?? 160);
  console.log(
    `detect actors: heap ${heap ? `--max-old-space-size=${heap}` : 'default'}, detect.maxStateEntries ${config.detect.maxStateEntries}`,
  );
  for (const n of sizes) {
    const label = `${n.toLocaleString('en').padStart(9)} actors`;
    const scan = child(['--scan', String(n)]);
    const state = child(['--state', String(n), 'none']);
    const batch = child(['--state', String(n), 'batch']);
    const perCall =
      n < 1_000_000 || process.env.BENCH_ACTORS_FULL ? child(['--state', String(n), 'call']) : undefined;
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      [
        label,
        scan.error
          ? `scan FAILED (${scan.error})`
          : `scan peak RSS ${scan.rssMb.toFixed(0)} MB${scan.rssMb > 256 ? ' ABOVE TARGET' : ''} (peak heap used ${scan.heapMb.toFixed(0)} MB, ${scan.records.toLocaleString('en')} records, ${(scan.logMb / 1024).toFixed(2)} GB log, ${scan.seconds.toFixed(1)} s)`,
        state.error ? `state FAILED (${state.error})` : `state ${mb(state.stateBytes)}`,
        batch.error
          ? `batched flush FAILED (${batch.error})`
          : `flush 10 ms/batch of 100: ${batch.flushSeconds.toFixed(1)} s (${batch.calls} calls; own baselines ${ownBaseline(batch.baseline)})`,
        perCall === undefined
          ? 'flush 10 ms/call: skipped (BENCH_ACTORS_FULL=1)'
          : perCall.error
            ? `per-call flush FAILED (${perCall.error})`
            : `flush 10 ms/call ×32: ${perCall.flushSeconds.toFixed(1)} s (${perCall.calls} calls; own baselines ${ownBaseline(perCall.baseline)})`,
      ].join(' · '),
    );
  }
}

const [flag, n, mode] = process.argv.slice(2);
if (flag === '--scan') await scanChild(Number(n));
else if (flag === '--state') await stateChild(Number(n), mode as 'call' | 'batch' | 'none');
else await main();
