import type { Alert } from '../alert.ts';
import type { CloudPack } from '../cloud-pack.ts';
import type { Config } from '../config.ts';
import { RejectedInputError } from '../errors.ts';
import { type CorrelatedAlert, correlate } from './correlate.ts';
import type { Detector } from './detector.ts';
import { createDetectors } from './detectors.ts';
import { formatTable } from './formats/index.ts';
import { decoded, lines } from './formats/input.ts';
import { type ArrayUnit, jsonArrayUnits } from './formats/json-array-stream.ts';
import { type LogFormat, type ParseContext, parseObject } from './formats/log-format.ts';
import { sniffFormat } from './formats/sniff.ts';
import { CacheScope, inScope } from './memo.ts';
import { NameTally } from './name-tally.ts';
import type { DetectRecord } from './records.ts';
import type { WindowStore } from './window-store.ts';

export interface ScanStats {
  /** The format's name in the format table (`cloudtrail`, `azure-storage`, …). */
  format: string;
  /** Units (lines or array elements) read, malformed ones included. */
  units: number;
  /** Records the detectors saw (a flow log element may hold many). */
  records: number;
  /** Units that could not be parsed: counted and skipped, never fatal. */
  malformed: number;
  /** The first few reasons, for the operator. */
  malformedSamples: string[];
  /**
   * Records per account or subscription, and object operations per store (bucket, or account/container):
   * the scan command names what is out of scope. At most 1,000 names each; the rest under `(others)`.
   */
  accounts: Record<string, number>;
  stores: Record<string, number>;
}

const MAX_NAMES = 1000;

export interface ScanFileOptions {
  /** Skip sniffing: the caller knows the format (a name of the format table). */
  format?: string;
  /** Called with the number of raw (possibly compressed) bytes read so far. */
  onBytes?: (bytes: number) => void;
}

export interface ScanSession {
  /**
   * Scans one log file (stream); returns its figures and the findings (the rules' signals combined
   * per actor, every confidence) not raised before in this session. `routeFindings` (modes.ts)
   * says which of them may be acted on.
   */
  scan(
    source: AsyncIterable<Buffer | Uint8Array | string>,
    options?: ScanFileOptions,
  ): Promise<{ stats: ScanStats; alerts: CorrelatedAlert[] }>;
}

/**
 * A scan session: one set of detectors over any number of log files, sharing window state through
 * the store (so a window spans files, and invocations on other machines). Each file is streamed:
 * decoded (gzip-aware), framed (lines or the records array), parsed unit by unit and observed by
 * every rule; the rules are flushed at the end of the file.
 *
 * @example
 * const session = createScanSession(config, memoryWindowStore(), { packs: PACKS });
 * const { stats, alerts } = await session.scan(createReadStream('trail.json.gz'));
 */
export function createScanSession(
  config: Config,
  state: WindowStore,
  options: {
    /** The clouds whose log formats the session reads (and whose callers the generic log names). */
    packs: readonly CloudPack[];
    defaultAccount?: string;
    detectors?: Detector[];
  },
): ScanSession {
  const formats = formatTable(options.packs);
  const names = Object.keys(formats);
  const detectors = options.detectors ?? createDetectors(config);
  const observers = byKind(detectors);
  const spilling = detectors.filter((d) => d.hasSpilled !== undefined);
  const raised = new Set<string>();
  // The session's own parser caches (memo.ts): never shared with another session.
  const caches = new CacheScope();
  const defaultAccount = options.defaultAccount ?? config.aws?.accounts[0] ?? config.azure?.subscriptions[0];
  return {
    async scan(source, fileOptions = {}) {
      const [head, rest] = await peek(decoded(counting(source, fileOptions.onBytes)));
      const name = fileOptions.format ?? sniffFormat(head.subarray(0, 16 * 1024).toString('utf8'), formats);
      if (!name) {
        throw new RejectedInputError(
          `cannot tell the log format from the first bytes; give it explicitly (one of ${names.join(', ')})`,
        );
      }
      const format = formats[name];
      if (!format)
        throw new RejectedInputError(`unknown log format "${name}": use one of ${names.join(', ')}`);
      const ctx = defaultAccount ? { defaultAccount } : {};
      const parse = unitParser(format, ctx);
      const stats: ScanStats = {
        format: name,
        units: 0,
        records: 0,
        malformed: 0,
        malformedSamples: [],
        accounts: {},
        stores: {},
      };
      const units = format.framing === 'lines' ? lineUnits(rest) : arrayUnits(rest, stats);
      // Rules whose per-actor state hit its cap add the spilled windows to the store between
      // batches; a window flushed twice (spilled, then at the end) keeps its last, fullest alert.
      const found = new Map<string, Alert>();
      const keep = (list: Alert[]) => {
        for (const a of list) found.set(a.dedupeKey, a);
      };
      const withdraw = (d: Detector) => {
        for (const key of d.withdrawn?.() ?? []) found.delete(key);
      };
      const tallies = { accounts: new NameTally(MAX_NAMES), stores: new NameTally(MAX_NAMES) };
      for await (const batch of units) {
        inScope(caches, () => observeBatch(batch, parse, stats, tallies, observers));
        for (const d of spilling) {
          if (!d.hasSpilled?.()) continue;
          keep(await d.flush(state, 'spilled'));
          withdraw(d);
        }
      }
      stats.accounts = tallies.accounts.counts();
      stats.stores = tallies.stores.counts();
      keep((await Promise.all(detectors.map((d) => d.flush(state)))).flat());
      for (const d of spilling) withdraw(d);
      const alerts = correlate([...found.values()]).filter((a) => !raised.has(a.dedupeKey));
      for (const a of alerts) raised.add(a.dedupeKey);
      return { stats, alerts };
    },
  };
}

/** The format's parser for units as framed: text, or array elements the framing already parsed. */
function unitParser(format: LogFormat, ctx: ParseContext): (unit: ArrayUnit) => DetectRecord[] {
  const text = format.open(ctx);
  const value = format.openValue?.(ctx);
  // Line formats only ever get text.
  if (!value) return text as (unit: ArrayUnit) => DetectRecord[];
  return (unit) => value(typeof unit === 'string' ? parseObject(unit) : unit);
}

/** Parses one batch of units and hands every record to the rules that read its kind. */
function observeBatch(
  batch: readonly ArrayUnit[],
  parse: (unit: ArrayUnit) => DetectRecord[],
  stats: ScanStats,
  tallies: { accounts: NameTally; stores: NameTally },
  observers: Record<DetectRecord['kind'], Detector[]>,
): void {
  for (let u = 0; u < batch.length; u++) {
    stats.units++;
    let records: DetectRecord[];
    try {
      records = parse(batch[u] as ArrayUnit);
    } catch (error) {
      stats.malformed++;
      if (stats.malformedSamples.length < 5)
        stats.malformedSamples.push(`unit ${stats.units}: ${(error as Error).message}`.slice(0, 200));
      continue;
    }
    for (let r = 0; r < records.length; r++) {
      const record = records[r] as DetectRecord;
      stats.records++;
      tallies.accounts.add(record.account);
      if (record.kind === 'object-access') tallies.stores.add(record.store.name);
      const readers = observers[record.kind];
      for (let i = 0; i < readers.length; i++) readers[i]?.observe(record);
    }
  }
}

/** The detectors that read each record kind: most rules read one kind, and records come by the million. */
function byKind(detectors: readonly Detector[]): Record<DetectRecord['kind'], Detector[]> {
  const reading = (kind: DetectRecord['kind']) => detectors.filter((d) => !d.kinds || d.kinds.includes(kind));
  return {
    'object-access': reading('object-access'),
    flow: reading('flow'),
    inference: reading('inference'),
  };
}

async function* lineUnits(source: AsyncIterable<Buffer>) {
  yield* lines(source);
}

async function* arrayUnits(source: AsyncIterable<Buffer>, stats: ScanStats) {
  for await (const { units: elements, broken } of jsonArrayUnits(source)) {
    if (broken) {
      stats.units += broken;
      stats.malformed += broken;
      if (stats.malformedSamples.length < 5)
        stats.malformedSamples.push('a record was cut off or larger than 32 MiB');
    }
    yield elements;
  }
}

async function* counting(source: AsyncIterable<Buffer | Uint8Array | string>, onBytes?: (n: number) => void) {
  let n = 0;
  for await (const chunk of source) {
    n += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    onBytes?.(n);
    yield chunk;
  }
}

/** The first chunk (for sniffing) and the whole stream again, first chunk included. */
async function peek(source: AsyncGenerator<Buffer>): Promise<[Buffer, AsyncGenerator<Buffer>]> {
  const first = await source.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* again() {
    if (head.length) yield head;
    yield* source;
  }
  return [head, again()];
}
