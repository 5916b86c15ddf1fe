import type { InvocationContext } from '@azure/functions';

export type Level = 'info' | 'warning' | 'error';

export interface Log {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Structured JSON lines through the invocation's logger (Application Insights traces), each with
 * the invocation id and, once known, the incident id, so one query follows an incident. Callers
 * pass facts, never events, blob contents or credentials.
 */
export function invocationLog(
  context: Pick<InvocationContext, 'invocationId' | 'info' | 'warn' | 'error'>,
): Log {
  const line = (level: Level, msg: string, fields: Record<string, unknown> = {}) =>
    JSON.stringify({ level, msg, invocationId: context.invocationId, ...fields });
  return {
    info: (msg, fields) => context.info(line('info', msg, fields)),
    warn: (msg, fields) => context.warn(line('warning', msg, fields)),
    error: (msg, fields) => context.error(line('error', msg, fields)),
  };
}

/** The same lines outside an invocation (cold start, escalations): stdout reaches the host log. */
export const processLog: Log = {
  info: (msg, fields) => console.info(JSON.stringify({ level: 'info', msg, ...fields })),
  warn: (msg, fields) => console.warn(JSON.stringify({ level: 'warning', msg, ...fields })),
  error: (msg, fields) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};
