import { TransientError } from './errors.ts';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 100, capMs: 2000 };

/**
 * Runs `fn`, retrying TransientError with exponential backoff and full jitter
 * (delay = random × min(cap, base × 2^n)). Anything else is rethrown at once.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ value: T; attempts: number }> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), attempts: attempt };
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= policy.attempts) {
        throw Object.assign(error as object, { attempts: attempt });
      }
      await sleep(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)));
    }
  }
}
