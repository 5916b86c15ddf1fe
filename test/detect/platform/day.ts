/**
 * A seeded DAY of an LLM platform's logs, in the clouds' own formats, with attacks injected and the
 * ground truth beside them. Benign workloads (workloads.ts) and attacks (attacks.ts) write requests
 * into a `DayLog`; it cuts them into hourly files per source, as the clouds deliver them.
 */
import type { FormatName } from '../../../packs/index.ts';
import { type Prng, prng } from '../traffic/prng.ts';
import { injectAttacks } from './attacks.ts';
import {
  accessLogLines,
  bedrockLine,
  cloudTrailEvent,
  cloudTrailFile,
  type Flow,
  type Invocation,
  type S3Request,
  VPC_CUSTOM_HEADER,
  VPC_DEFAULT_HEADER,
  vpcCustomLine,
  vpcDefaultLine,
} from './emit-aws.ts';
import {
  type AzureChat,
  type AzureFlow,
  apimLine,
  type BlobRequest,
  blobLogLine,
  type GenericCall,
  genericLine,
  nsgFlowFile,
  openAiLine,
  vnetFlowFile,
} from './emit-azure.ts';
import { benignDay } from './workloads.ts';

export const DAY0 = Date.UTC(2026, 10, 25, 0, 0, 0);
const HOUR = 3_600_000;

/** What the detectors are meant to find, and the attacks' kinds as the issue lists them. */
export type AttackKind =
  | 'bulk-read-outside'
  | 'first-reader'
  | 'stolen-session'
  | 'artifact-swap'
  | 'artifact-copy'
  | 'mass-deletion'
  | 'new-external-peer'
  | 'extraction-prompts'
  | 'templated-probing'
  | 'canary-in-response'
  | 'secret-in-output'
  | 'repeated-injection'
  | 'anonymous-read';

/** One identity at the finest grain the logs give (`actor`) and what containment acts on (`principal`). */
export interface Actor {
  actor: string;
  principal: string;
  cloud: 'aws' | 'azure';
  /** The workload (benign) or the attack's description. */
  what: string;
}

export interface AttackTruth extends Actor {
  id: string;
  kind: AttackKind;
  /** Alert types a detector of today's table is meant to raise for it. */
  expect: string[];
  /** The actor is one session / end user of an identity other, benign actors share. */
  sharedPrincipal: boolean;
}

export interface DayFile {
  name: string;
  format: FormatName;
  text: string;
}

export interface PlatformDay {
  seed: number;
  scale: number;
  files: DayFile[];
  attacks: AttackTruth[];
  benign: Actor[];
  /** Requests per source, for the table. */
  counts: Record<string, number>;
}

export interface DayOptions {
  /** Fraction of a full day's request volume (inference calls, flows); shapes and sizes are kept. */
  scale?: number;
  /** Bytes per ranged GET when a loader reads a shard (real loaders use 8–64 MiB ranges). */
  rangeBytes?: number;
  /** Leave the attacks out (a purely benign day). */
  attacks?: boolean;
}

type Source =
  | 'cloudtrail'
  | 's3-access'
  | 'vpc-flow-custom'
  | 'vpc-flow-default'
  | 'bedrock'
  | 'azure-storage'
  | 'azure-openai'
  | 'apim'
  | 'vnet-flow'
  | 'nsg-flow'
  | 'gateway';

const FORMAT: Record<Source, FormatName> = {
  cloudtrail: 'cloudtrail',
  's3-access': 's3-access',
  'vpc-flow-custom': 'vpc-flow',
  'vpc-flow-default': 'vpc-flow',
  bedrock: 'bedrock',
  'azure-storage': 'azure-storage',
  'azure-openai': 'azure-openai',
  apim: 'azure-openai',
  'vnet-flow': 'azure-flow',
  'nsg-flow': 'azure-flow',
  gateway: 'inference-jsonl',
};

/** Collects a day's requests per source and hour; numbers them (request ids) as they come. */
export class DayLog {
  readonly rng: Prng;
  readonly benign = new Map<string, Actor>();
  readonly attacks: AttackTruth[] = [];
  readonly counts: Record<string, number> = {};
  private n = 0;
  private readonly hours = new Map<string, { at: number; items: unknown[] }[]>();
  readonly scale: number;
  readonly rangeBytes: number;
  constructor(seed: number, scale: number, rangeBytes: number) {
    this.rng = prng(seed);
    this.scale = scale;
    this.rangeBytes = rangeBytes;
  }
  private put(source: Source, at: number, item: unknown): void {
    if (at < DAY0 || at >= DAY0 + 24 * HOUR) return;
    const key = `${source}|${Math.floor((at - DAY0) / HOUR)}`;
    const list = this.hours.get(key) ?? [];
    list.push({ at, items: [item] });
    this.hours.set(key, list);
    this.counts[source] = (this.counts[source] ?? 0) + 1;
  }
  next(): number {
    return ++this.n;
  }
  /** Records a benign actor (once). */
  actor(a: Actor): void {
    if (!this.benign.has(a.actor)) this.benign.set(a.actor, a);
  }
  s3(r: Omit<S3Request, 'n'>, via: 'cloudtrail' | 's3-access' = 'cloudtrail'): void {
    const req = { ...r, n: this.next() };
    if (via === 'cloudtrail') this.put('cloudtrail', r.at, cloudTrailEvent(req));
    else for (const line of accessLogLines(req)) this.put('s3-access', r.at, line);
  }
  vpcFlow(f: Flow, layout: 'custom' | 'default' = 'custom'): void {
    if (layout === 'custom') this.put('vpc-flow-custom', f.at, vpcCustomLine(f));
    else this.put('vpc-flow-default', f.at, vpcDefaultLine(f));
  }
  bedrock(v: Omit<Invocation, 'n'>): void {
    this.put('bedrock', v.at, bedrockLine({ ...v, n: this.next() }));
  }
  blob(r: Omit<BlobRequest, 'n'>): void {
    this.put('azure-storage', r.at, blobLogLine({ ...r, n: this.next() }));
  }
  azureChat(c: Omit<AzureChat, 'n'>, via: 'azure-openai' | 'apim'): void {
    const call = { ...c, n: this.next() };
    this.put(via, c.at, via === 'apim' ? apimLine(call) : openAiLine(call));
  }
  azureFlow(f: AzureFlow, via: 'vnet-flow' | 'nsg-flow' = 'vnet-flow'): void {
    this.put(via, f.at, f);
  }
  gateway(c: Omit<GenericCall, 'n'>): void {
    this.put('gateway', c.at, genericLine({ ...c, n: this.next() }));
  }
  /** The hourly files, in time order (the scan reads them as they arrive). */
  files(): DayFile[] {
    const out: DayFile[] = [];
    const order = Object.keys(FORMAT) as Source[];
    for (let h = 0; h < 24; h++) {
      for (const source of order) {
        const list = this.hours.get(`${source}|${h}`);
        if (!list?.length) continue;
        list.sort((a, b) => a.at - b.at);
        const items = list.flatMap((e) => e.items);
        out.push({
          name: `${source}/${String(h).padStart(2, '0')}00`,
          format: FORMAT[source],
          text: render(source, items),
        });
      }
    }
    return out;
  }
}

function render(source: Source, items: unknown[]): string {
  if (source === 'cloudtrail') return cloudTrailFile(items as Record<string, unknown>[]);
  if (source === 'vnet-flow') return vnetFlowFile(items as AzureFlow[]);
  if (source === 'nsg-flow') return nsgFlowFile(items as AzureFlow[]);
  const lines = items as string[];
  if (source === 'vpc-flow-custom') return `${VPC_CUSTOM_HEADER}\n${lines.join('\n')}\n`;
  if (source === 'vpc-flow-default') return `${VPC_DEFAULT_HEADER}\n${lines.join('\n')}\n`;
  return `${lines.join('\n')}\n`;
}

/** Diurnal weight of an hour (UTC, office in CET): low at night, peaks mid-morning and mid-afternoon. */
export function diurnal(hour: number): number {
  const h = hour + 1;
  if (h < 6 || h > 22) return 0.08;
  return 0.2 + Math.sin((Math.PI * (h - 6)) / 16) ** 2;
}

/** A time in `hour` (fraction of the day allowed), seeded. */
export const inHour = (rng: Prng, hour: number) => DAY0 + hour * HOUR + rng.int(0, HOUR - 1);

/** Spreads `total` events over the day following the diurnal curve: returns their times. */
export function diurnalTimes(rng: Prng, total: number): number[] {
  const weights = Array.from({ length: 24 }, (_, h) => diurnal(h));
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  for (let h = 0; h < 24; h++) {
    const n = Math.round((total * (weights[h] ?? 0)) / sum);
    for (let i = 0; i < n; i++) out.push(inHour(rng, h));
  }
  return out.sort((a, b) => a - b);
}

/** The platform's day; `more` adds other benign workloads after the platform's own (the ops day). */
export function generateDay(
  seed: number,
  options: DayOptions = {},
  more: (log: DayLog) => void = () => {},
): PlatformDay {
  const scale = options.scale ?? 1;
  const log = new DayLog(seed, scale, options.rangeBytes ?? 64 * 1024 ** 2);
  benignDay(log);
  more(log);
  if (options.attacks !== false) injectAttacks(log);
  return {
    seed,
    scale,
    files: log.files(),
    attacks: log.attacks,
    benign: [...log.benign.values()],
    counts: log.counts,
  };
}
