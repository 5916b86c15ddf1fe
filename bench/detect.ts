/**
 * Detection benchmark (`node bench/detect.ts`): for each input format, records/s and MB/s of
 * parse + every detector, against a raw baseline in the same run (split lines and JSON.parse each,
 * or split fields for the text formats), then peak RSS while scanning a 1 GB generated file in a
 * child process. Targets: ratio ≥ 0.5, peak RSS ≤ 256 MB.
 * Knobs: BENCH_DETECT_MB (sample per format, default 48), BENCH_DETECT_ROUNDS (best of, alternating
 * baseline and pipeline, default 5), BENCH_DETECT_FORMATS (throughput: all, none or a list),
 * BENCH_DETECT_RSS_GB (default 1; 0 skips the RSS runs), BENCH_DETECT_RSS_FORMATS (default all),
 * BENCH_DETECT_HEAP_MB (the child's --max-old-space-size, default 160: the setting the scan
 * functions deploy with; 0 leaves V8's default sizing, which on a large machine lets garbage pile
 * up before collecting it).
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryWindowStore } from '../core/detect/memory-window-store.ts';
import { createScanSession } from '../core/detect/scan.ts';
import { FORMAT_NAMES, FORMATS, type FormatName, PACKS } from '../packs/index.ts';
import { baseline, CHUNK, config, full, generate, MB } from './detect-input.ts';

/** Formats named in a knob (comma separated), all of them, or none. */
function chosen(wanted = 'all'): FormatName[] {
  if (wanted === 'none') return [];
  return wanted === 'all' ? FORMAT_NAMES : (wanted.split(',') as FormatName[]);
}

interface Timing {
  records: number;
  seconds: number;
}

/**
 * Best of `rounds` for each run, the rounds alternating between them: on a shared machine the
 * load changes from second to second, and both sides should see the same conditions.
 */
async function bestOf(runs: (() => Promise<number>)[], rounds: number): Promise<Timing[]> {
  const best = runs.map(() => ({ records: 0, seconds: Number.POSITIVE_INFINITY }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of runs.entries()) {
      const t = performance.now();
      const records = await run();
      const seconds = (performance.now() - t) / 1000;
      const b = best[i] as Timing;
      b.records = records;
      b.seconds = Math.min(b.seconds, seconds);
    }
  }
  return best;
}

async function throughput() {
  const bytes = Number(process.env.BENCH_DETECT_MB ?? 48) * MB;
  const rounds = Number(process.env.BENCH_DETECT_ROUNDS ?? 5);
  for (const format of chosen(process.env.BENCH_DETECT_FORMATS)) {
    const chunks = [...generate(format, bytes)];
    const size = chunks.reduce((n, c) => n + c.length, 0) / MB;
    const [raw, ours] = (await bestOf([() => baseline(format, chunks), () => full(chunks)], rounds)) as [
      Timing,
      Timing,
    ];
    const ratio = raw.seconds / ours.seconds;
    const rate = (r: Timing) =>
      `${Math.round(r.records / r.seconds).toLocaleString('en')} rec/s ${(size / r.seconds).toFixed(1)} MB/s`;
    console.log(
      `detect ${format.padEnd(15)} parse+detect ${rate(ours)} | raw ${rate(raw)} | ratio ${ratio.toFixed(2)} (target ≥ 0.5)${ratio < 0.5 ? ' BELOW TARGET' : ''}`,
    );
  }
}

async function peakRss() {
  const gb = Number(process.env.BENCH_DETECT_RSS_GB ?? 1);
  if (!gb) return;
  const heap = Number(process.env.BENCH_DETECT_HEAP_MB ?? 160);
  const flags = ['--expose-gc', ...(heap ? [`--max-old-space-size=${heap}`] : [])];
  const formats = chosen(process.env.BENCH_DETECT_RSS_FORMATS);
  const dir = mkdtempSync(join(tmpdir(), 'tq-bench-'));
  try {
    for (const format of formats) {
      const file = join(dir, `${format}.log`);
      const out = createWriteStream(file);
      for (const chunk of generate(format, gb * 1024 * MB)) if (!out.write(chunk)) await once(out, 'drain');
      out.end();
      await once(out, 'finish');
      const child = spawnSync(process.execPath, [...flags, import.meta.filename, '--rss', format, file], {
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout) as {
        maxRssMb: number;
        liveHeapMb: number;
        records: number;
        seconds: number;
      };
      console.log(
        `detect ${format.padEnd(15)} ${gb} GB scanned in ${r.seconds.toFixed(1)} s (${r.records.toLocaleString('en')} records), peak RSS ${r.maxRssMb.toFixed(0)} MB (target ≤ 256 MB)${r.maxRssMb > 256 ? ' ABOVE TARGET' : ''}, largest live heap ${r.liveHeapMb.toFixed(0)} MB, ${heap ? `--max-old-space-size=${heap}` : 'default heap sizing'}`,
      );
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * This process's peak RSS. On Linux, VmHWM of its own memory: getrusage's maxRSS of a spawned
 * child starts at the parent's peak (the kernel carries it over at exec), so it reported the
 * benchmark's own throughput samples, not the scan.
 */
function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS / 1024;
}

if (process.argv[2] === '--rss') {
  const [format, file] = process.argv.slice(3) as [FormatName, string];
  const gc = (globalThis as { gc?: () => void }).gc;
  let next = 0;
  let liveHeapMb = 0;
  const t = performance.now();
  // Every 128 MB read: collect and note the live heap, the state the rules really hold.
  const onBytes = (bytes: number) => {
    if (!gc || bytes < next) return;
    next += 128 * MB;
    gc();
    liveHeapMb = Math.max(liveHeapMb, process.memoryUsage().heapUsed / MB);
  };
  const { stats } = await createScanSession(config, memoryWindowStore(), { packs: PACKS }).scan(
    createReadStream(file, { highWaterMark: CHUNK }),
    { format: FORMATS[format].name as FormatName, onBytes },
  );
  const seconds = (performance.now() - t) / 1000;
  console.log(
    JSON.stringify({
      maxRssMb: peakRssMb(),
      liveHeapMb,
      records: stats.units,
      seconds,
    }),
  );
} else {
  await throughput();
  await peakRss();
}
