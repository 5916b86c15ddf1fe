/** Tumbling windows: a record at `at` belongs to the window that starts at `windowStart(at, …)`. */
export function windowStart(at: number, windowMinutes: number): number {
  const ms = windowMinutes * 60_000;
  return Math.floor(at / ms) * ms;
}

/** When a window's state may be forgotten: a day after it closes, so late log files still count. */
export function windowExpiry(start: number, windowMinutes: number): Date {
  return new Date(start + windowMinutes * 60_000 + 24 * 3600_000);
}

/** ISO text of a window, for evidence. */
export function describeWindow(start: number, windowMinutes: number): { start: string; end: string } {
  return {
    start: new Date(start).toISOString(),
    end: new Date(start + windowMinutes * 60_000).toISOString(),
  };
}
