import { TransientError } from '../core/errors.ts';

/**
 * Error codes worth another try: throttling, service hiccups and concurrent writers. IAM's
 * `LimitExceeded` is deliberately absent: it is a quota (a full policy), not a rate.
 */
const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailure',
  'ServiceFailureException',
  'ConcurrentModification',
  'ConcurrentModificationException',
  // S3: a conflicting conditional write or configuration change is in progress.
  'ConditionalRequestConflict',
  'OperationAborted',
  'TimeoutError',
]);

/** Socket-level failures the SDK gives up on after its own retries. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface AwsErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The error's AWS code (`NoSuchEntity`, `NoSuchBucketPolicy`, …), `Exception` suffix removed. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as AwsErrorShape;
  const code = e.Code ?? e.name;
  return code?.replace(/Exception$/, '');
}

export function httpStatus(error: unknown): number | undefined {
  return (error as AwsErrorShape | null)?.$metadata?.httpStatusCode;
}

/** True when the error is one of `codes` (with or without the SDK's `Exception` suffix). */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return !!code && codes.some((c) => c.replace(/Exception$/, '') === code);
}

export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorShape;
  if (TRANSIENT_CODES.has(e.name ?? '') || TRANSIENT_CODES.has(e.Code ?? '')) return true;
  if (e.$retryable) return true;
  if (NETWORK_CODES.has(e.code ?? '')) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * The one place AWS SDK errors become core errors: throttling, `$retryable`, network failures and
 * 5xx become a TransientError (the core retries it with backoff) carrying the SDK error as `cause`;
 * everything else is returned untouched, for the caller to rethrow.
 */
export function translateAwsError(error: unknown): unknown {
  if (!isTransient(error)) return error;
  const code = awsErrorCode(error) ?? 'error';
  const status = httpStatus(error);
  const message = (error as AwsErrorShape).message ?? '';
  return new TransientError(`AWS ${code}${status ? ` (HTTP ${status})` : ''}: ${message}`, { cause: error });
}

/** What to do instead of failing, for each expected error code (`NoSuchEntity: () => undefined`). */
export type Expected<T> = Record<string, (error: unknown) => T>;

/**
 * Runs one SDK call. Expected errors ("already so", "not there") become values; the rest are
 * translated by `translateAwsError` and thrown.
 *
 * @example
 * const policy = await awsCall(() => s3.send(new GetBucketPolicyCommand({ Bucket })), {
 *   NoSuchBucketPolicy: () => undefined,
 * });
 */
export async function awsCall<T, E = never>(
  call: () => Promise<T>,
  expected: Expected<E> = {},
): Promise<T | E> {
  try {
    return await call();
  } catch (error) {
    const code = awsErrorCode(error);
    const handle = code === undefined ? undefined : (expected[code] ?? expected[`${code}Exception`]);
    if (handle) return handle(error);
    throw translateAwsError(error);
  }
}
