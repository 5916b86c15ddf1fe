import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { MAX_EVENT_BYTES } from '../../core/parsed-event.ts';

/** Room for a 1 MB event plus the command around it. */
const MAX_BODY_BYTES = MAX_EVENT_BYTES + 64 * 1024;
/** The HTTP trigger must answer within 230 s; containment carries on past this and resumes from the journal. */
export const ANSWER_WITHIN_MS = 200_000;
/**
 * Consumption plan runs stop at 10 minutes (host.json functionTimeout). Each journal entry records
 * this deadline: until it passes, a repeated delivery or command sees the work as still running
 * instead of doing it a second time.
 */
export const RUN_FOR_MS = 9 * 60_000;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'content-type': 'application/json', ...headers } };
}

/** The body as JSON, or the 4xx answer to give instead. */
export async function readJson(
  request: HttpRequest,
): Promise<{ body: unknown } | { response: HttpResponseInit }> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES)
    return { response: json(413, { error: `the body is over ${MAX_BODY_BYTES} bytes` }) };
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    return { response: json(413, { error: `the body is over ${MAX_BODY_BYTES} bytes` }) };
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    return { response: json(400, { error: `the body is not JSON: ${(error as Error).message}` }) };
  }
}

/** The work's result, or `undefined` when it is still running at the deadline (it keeps running). */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms = ANSWER_WITHIN_MS,
): Promise<{ done: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((done) => ({ done })), late]);
  } finally {
    clearTimeout(timer);
  }
}
