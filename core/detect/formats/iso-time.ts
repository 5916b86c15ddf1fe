/**
 * Epoch ms of the one time shape every JSON log here writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`,
 * or NaN for anything else (the caller then asks `Date.parse`, which is several times slower and
 * runs once per record otherwise). Same result as `Date.parse` on what it accepts: the fraction is
 * cut to milliseconds; days past the 28th go to `Date.parse`, which has its own ideas about
 * February 30th.
 */
export function isoUtc(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90) return Number.NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return Number.NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59))
    return Number.NaN;
  let ms = 0;
  if (n > 20) {
    if (n < 22 || s.charCodeAt(19) !== 46) return Number.NaN;
    const fraction = digits(s, 20, n - 21);
    if (!(fraction >= 0)) return Number.NaN;
    ms = digits(s, 20, Math.min(3, n - 21)) * (n - 21 >= 3 ? 1 : n - 21 === 2 ? 10 : 100);
  }
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/** The decimal number in `s[from, from + count)`, or NaN when a character is not a digit. */
function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible algorithms"). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
