import { malformed } from '../../../core/detect/formats/log-format.ts';
import { scoped } from '../../../core/detect/memo.ts';

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * `06/Feb/2019:00:00:38 +0000` (from `from` to `to` in the line) → epoch ms. Read in place: the
 * text is only cut out to say what is wrong with it. The day part (`06/Feb/2019`) is the same
 * line after line: its Date.UTC is kept, and the time of day added to it, which is what Date.UTC
 * computes (a linear sum) without the call.
 */
export function accessLogTime(line: string, from: number, to: number): number {
  const sign = line.charCodeAt(from + 21);
  const hour = digitsAt(line, from + 12, 2);
  const minute = digitsAt(line, from + 15, 2);
  const second = digitsAt(line, from + 18, 2);
  const offset = digitsAt(line, from + 22, 2) * 60 + digitsAt(line, from + 24, 2);
  const last = lastDay();
  const sameDay = to - from === 26 && last.text !== '' && line.startsWith(last.text, from);
  const day = sameDay ? 0 : digitsAt(line, from, 2);
  const month = sameDay ? 0 : to - from === 26 ? monthOf(line, from + 3) : -1;
  const year = sameDay ? 0 : digitsAt(line, from + 7, 4);
  const ok =
    month >= 0 &&
    (sameDay || (line.charCodeAt(from + 2) === 47 && line.charCodeAt(from + 6) === 47)) &&
    line.charCodeAt(from + 11) === 58 &&
    line.charCodeAt(from + 14) === 58 &&
    line.charCodeAt(from + 17) === 58 &&
    line.charCodeAt(from + 20) === 32 &&
    (sign === 43 || sign === 45) &&
    day >= 0 &&
    year >= 0 &&
    hour >= 0 &&
    minute >= 0 &&
    second >= 0 &&
    offset >= 0;
  if (!ok) malformed(`not an access log time: ${line.slice(from, to)}`);
  if (!sameDay) {
    last.text = line.slice(from, from + 11);
    last.ms = Date.UTC(year, month, day);
  }
  const ms = last.ms + hour * 3_600_000 + minute * 60_000 + second * 1000;
  return ms - (sign === 45 ? -1 : 1) * offset * 60_000;
}

/** The last day part read (`06/Feb/2019`, valid) and its Date.UTC, per cache scope. */
const lastDay = scoped(() => ({ text: '', ms: 0 }));

/** The decimal number in `count` characters at `at`, or a negative number if one is not a digit. */
function digitsAt(line: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = line.charCodeAt(i);
    if (!isDigit(c)) return Number.NEGATIVE_INFINITY;
    value = value * 10 + c - 48;
  }
  return value;
}

/** Month numbers by their three-letter English abbreviation, packed as one number per name. */
const MONTH_CODES = new Map(Array.from({ length: 12 }, (_, m) => [packed(MONTHS, m * 3), m] as const));

/** Three UTF-16 units as one exact number (distinct for any three units). */
function packed(text: string, at: number): number {
  return (text.charCodeAt(at) * 65_536 + text.charCodeAt(at + 1)) * 65_536 + text.charCodeAt(at + 2);
}

/** The month of a three-letter English abbreviation (`Jan` … `Dec`) at `at`, or -1. */
function monthOf(line: string, at: number): number {
  return MONTH_CODES.get(packed(line, at)) ?? -1;
}
