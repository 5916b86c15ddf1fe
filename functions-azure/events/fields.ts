import { RejectedInputError } from '../../core/errors.ts';
import { isGuid } from '../../core/names.ts';

/**
 * Readers for untrusted JSON: each returns the typed value or throws a RejectedInputError naming
 * the field, so a rejection says exactly what was wrong. Strings are length-bounded everywhere.
 */

export type Json = Record<string, unknown>;

export function reject(message: string): never {
  throw new RejectedInputError(message);
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, path: string): Json {
  return isObject(value) ? value : reject(`${path} must be an object`);
}

export function optObj(value: unknown, path: string): Json | undefined {
  return value === undefined || value === null ? undefined : obj(value, path);
}

export function str(value: unknown, path: string, max = 1024): string {
  if (typeof value !== 'string' || value.length === 0) return reject(`${path} must be a non-empty string`);
  if (value.length > max) return reject(`${path} is longer than ${max} characters`);
  return value;
}

export function optStr(value: unknown, path: string, max = 1024): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : str(value, path, max);
}

export function guid(value: unknown, path: string): string {
  const s = str(value, path, 36);
  return isGuid(s) ? s.toLowerCase() : reject(`${path} must be a GUID, got "${s.slice(0, 40)}"`);
}

export function arr(value: unknown, path: string, max = 1000): unknown[] {
  if (!Array.isArray(value)) return reject(`${path} must be an array`);
  if (value.length > max) return reject(`${path} has more than ${max} entries`);
  return value;
}

export function optArr(value: unknown, path: string, max = 1000): unknown[] {
  return value === undefined || value === null ? [] : arr(value, path, max);
}

/** An ISO 8601 time between 2000 and 2100, normalized to `toISOString()`. */
export function time(value: unknown, path: string): string {
  const s = str(value, path, 64);
  const ms = Date.parse(s);
  if (Number.isNaN(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2100, 0, 1)) {
    return reject(`${path} must be an ISO 8601 time, got "${s}"`);
  }
  return new Date(ms).toISOString();
}

/** Subscription id of an ARM id (`/subscriptions/<guid>/…`), lower-cased. */
export function subscriptionOf(resourceId: string, path: string): string {
  const m = /^\/subscriptions\/([^/]+)(\/|$)/i.exec(resourceId);
  return guid(m?.[1], `${path} subscription`);
}

/** Claims arrive as an object (Event Grid) or as JSON text (Activity Log alerts). */
export function jsonObject(value: unknown, path: string): Json | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    if (value.length > 64 * 1024) return reject(`${path} is too long`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return reject(`${path} is not valid JSON`);
    }
    return obj(parsed, path);
  }
  return obj(value, path);
}
