import type { Cloud } from '../../alert.ts';
import { TourniquetError } from '../../errors.ts';
import type { DetectRecord } from '../records.ts';
import { isoUtc } from './iso-time.ts';

export interface ParseContext {
  /** Account or subscription to attribute records to when the log line does not name one. */
  defaultAccount?: string;
}

/**
 * One log format: how a file is framed and how one unit (a line, or an element of the document's
 * records array) becomes records. A unit parser returns `[]` for a well-formed unit that carries
 * nothing for the detectors (a header, a management event) and throws for a malformed one: the scan
 * counts and skips it.
 */
export interface LogFormat {
  name: string;
  cloud: Cloud;
  framing: 'lines' | 'json-array';
  /** Where the format is documented. */
  documentation: string;
  /** Does a file that starts so look like this format? (core/detect/formats/sniff.ts asks each in turn.) */
  sniff?(head: SniffHead): boolean;
  open(ctx: ParseContext): (unit: string) => DetectRecord[];
  /**
   * JSON formats: the same parser for a unit already parsed into an object (the scan's framing
   * parses array elements as it finds them). `open(ctx)(unit)` is `openValue(ctx)(parseObject(unit))`.
   */
  openValue?(ctx: ParseContext): (value: Record<string, unknown>) => DetectRecord[];
}

/** The first decoded bytes of a file, as the sniffers read them (computed once per file). */
export interface SniffHead {
  /** The head without a byte-order mark and leading white space. */
  text: string;
  /** Its first line, without `\r`. */
  firstLine: string;
  /** The first line as a JSON object, when it is one. */
  firstObject?: Record<string, unknown>;
}

/** Thrown by unit parsers for malformed units; any other exception counts the same way. */
export class MalformedUnitError extends TourniquetError {
  override name = 'MalformedUnitError';
}

export function malformed(why: string): never {
  throw new MalformedUnitError(why);
}

/** A JSON object unit, or a MalformedUnitError. */
export function parseObject(unit: string): Record<string, unknown> {
  const value: unknown = JSON.parse(unit);
  if (!value || typeof value !== 'object' || Array.isArray(value)) malformed('not a JSON object');
  return value as Record<string, unknown>;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
export const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Epoch ms of an ISO 8601 time, or a MalformedUnitError. */
export function time(v: unknown): number {
  if (typeof v !== 'string') malformed(`not a time: ${String(v).slice(0, 40)}`);
  const fast = isoUtc(v);
  if (!Number.isNaN(fast)) return fast;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) malformed(`not a time: ${String(v).slice(0, 40)}`);
  return t;
}
