import { TransientError } from '../core/errors.ts';

/** Socket-level failures the SDK gives up on after its own retries. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

interface RestErrorShape {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { errorCode?: string; error?: { code?: string } };
}

/** HTTP status of an Azure SDK `RestError` (or a Graph response turned into one). */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as RestErrorShape).statusCode : undefined;
}

/** The service's error code: `RoleAssignmentExists`, `BlobAlreadyExists`, `ContainerNotFound`, … */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as RestErrorShape;
  return e.details?.errorCode ?? e.details?.error?.code ?? e.code;
}

export function isTransient(error: unknown): boolean {
  const status = statusOf(error) ?? 0;
  if (status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505)) return true;
  return NETWORK_CODES.has(codeOf(error) ?? '');
}

/**
 * The one place Azure SDK and Graph errors become core errors: throttling (429), timeouts, 5xx and
 * network failures become a TransientError carrying the original as `cause` (the core retries with
 * backoff); everything else is returned untouched, for the caller to rethrow.
 */
export function translateAzureError(error: unknown): unknown {
  if (!isTransient(error)) return error;
  const status = statusOf(error);
  const code = codeOf(error) ?? 'error';
  const message = (error as RestErrorShape).message ?? '';
  return new TransientError(`Azure ${code}${status ? ` (HTTP ${status})` : ''}: ${message.slice(0, 300)}`, {
    cause: error,
  });
}

/** What to do instead of failing, by HTTP status (`'404'`) or service error code (`'BlobAlreadyExists'`). */
export type Expected<T> = Record<string, (error: unknown) => T>;

/**
 * Runs one Azure call. Expected outcomes ("already so", "not there") become values; the rest are
 * translated by `translateAzureError` and thrown.
 *
 * @example
 * await azureCall(() => authorization.roleAssignments.delete(scope, name), { '404': () => 'gone' as const });
 */
export async function azureCall<T, E = never>(
  call: () => Promise<T>,
  expected: Expected<E> = {},
): Promise<T | E> {
  try {
    return await call();
  } catch (error) {
    const byCode = codeOf(error);
    const handle = (byCode ? expected[byCode] : undefined) ?? expected[String(statusOf(error))];
    if (handle) return handle(error);
    throw translateAzureError(error);
  }
}
