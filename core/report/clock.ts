/**
 * Deadline arithmetic for the regulatory clocks, in UTC milliseconds only: an hour-based period is
 * an exact number of elapsed hours, whatever daylight-saving change falls inside it; a month-based
 * period ends on the same date of the next month at the same UTC time, or on that month's last day
 * when it has no such date (Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c)). Local time is only
 * ever a label (`localLabel`).
 */
export const HOUR_MS = 3_600_000;

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * HOUR_MS).toISOString();
}

export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  target.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return target.toISOString();
}

export const CLOCK_STATUSES = ['due', 'overdue', 'met'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];

export interface ClockState {
  status: ClockStatus;
  /** "due in 41 h 12 min", "overdue by 3 h 5 min", "met 2 h 10 min before the deadline". */
  text: string;
  /** Minutes to the deadline at report time (negative when past). */
  minutesLeft: number;
}

/** Where a deadline stands at `now`; `metAt` is when the notification was recorded as submitted. */
export function clockState(deadline: string, now: Date, metAt?: string): ClockState {
  const left = Math.floor((Date.parse(deadline) - now.getTime()) / 60_000);
  if (metAt) {
    const margin = Math.floor((Date.parse(deadline) - Date.parse(metAt)) / 60_000);
    const text =
      margin >= 0 ? `met ${duration(margin)} before the deadline` : `met ${duration(-margin)} late`;
    return { status: 'met', text, minutesLeft: left };
  }
  if (left > 0) return { status: 'due', text: `due in ${duration(left)}`, minutesLeft: left };
  return { status: 'overdue', text: `overdue by ${duration(-left)}`, minutesLeft: left };
}

/** Whole minutes as "2 d 3 h 5 min", "41 h 12 min" below 72 h, "7 min". */
export function duration(minutes: number): string {
  const m = minutes % 60;
  const totalHours = Math.floor(minutes / 60);
  if (totalHours < 72) return totalHours ? `${totalHours} h ${m} min` : `${m} min`;
  const d = Math.floor(totalHours / 24);
  return `${d} d ${totalHours % 24} h ${m} min`;
}

/** An instant as a reader's local time, e.g. "2026-03-31 12:00 GMT+2 (Europe/Berlin)". A label only. */
export function localLabel(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(iso));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} ${p('timeZoneName')} (${timeZone})`;
}
