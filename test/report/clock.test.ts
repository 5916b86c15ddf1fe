import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addHours, addMonths, clockState, localLabel } from '../../core/report/clock.ts';
import { parseSubmission } from '../../core/report/submissions.ts';

describe('regulatory clocks', () => {
  it.each([
    // EU summer time starts 2026-03-29 01:00 UTC: 72 h are still 72 h, the local label moves an hour.
    [
      '2026-03-28T10:00:00.000Z',
      72,
      '2026-03-31T10:00:00.000Z',
      'Europe/Berlin',
      '2026-03-31 12:00 GMT+2 (Europe/Berlin)',
    ],
    // EU summer time ends 2026-10-25 01:00 UTC.
    [
      '2026-10-24T23:30:00.000Z',
      24,
      '2026-10-25T23:30:00.000Z',
      'Europe/Paris',
      '2026-10-26 00:30 GMT+1 (Europe/Paris)',
    ],
    // US daylight saving starts 2026-03-08 07:00 UTC.
    [
      '2026-03-07T18:15:00.000Z',
      72,
      '2026-03-10T18:15:00.000Z',
      'America/New_York',
      '2026-03-10 14:15 GMT-4 (America/New_York)',
    ],
    // DORA: 4 h after classification across the EU change.
    [
      '2026-03-29T00:30:00.000Z',
      4,
      '2026-03-29T04:30:00.000Z',
      'Europe/Berlin',
      '2026-03-29 06:30 GMT+2 (Europe/Berlin)',
    ],
  ])('%s + %i h is %s, shown in %s as %s', (from, hours, deadline, zone, label) => {
    expect(addHours(from, hours)).toBe(deadline);
    expect(localLabel(deadline, zone)).toBe(label);
  });

  it.each([
    ['2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z'],
    ['2028-01-31T09:00:00.000Z', '2028-02-29T09:00:00.000Z'],
    ['2026-03-31T23:59:00.000Z', '2026-04-30T23:59:00.000Z'],
    ['2026-12-15T12:00:00.000Z', '2027-01-15T12:00:00.000Z'],
  ])('one month after %s is %s (same date, or the last day of a shorter month)', (from, to) => {
    expect(addMonths(from, 1)).toBe(to);
  });

  it('adds hours as elapsed time for any instant (reference: milliseconds)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 1000 }),
        (d, h) => {
          expect(Date.parse(addHours(d.toISOString(), h)) - d.getTime()).toBe(h * 3_600_000);
        },
      ),
    );
  });

  it.each([
    ['2026-03-31T10:00:00.000Z', '2026-03-29T16:48:00.000Z', undefined, 'due', 'due in 41 h 12 min'],
    ['2026-03-31T10:00:00.000Z', '2026-03-31T13:05:00.000Z', undefined, 'overdue', 'overdue by 3 h 5 min'],
    ['2026-03-31T10:00:00.000Z', '2026-03-31T10:00:00.000Z', undefined, 'overdue', 'overdue by 0 min'],
    [
      '2026-03-31T10:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      'met',
      'met 26 h 0 min before the deadline',
    ],
    [
      '2026-03-31T10:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
      '2026-03-31T11:30:00.000Z',
      'met',
      'met 1 h 30 min late',
    ],
  ])('a deadline of %s seen at %s (met %s) is %s: %s', (deadline, now, met, status, text) => {
    expect(clockState(deadline, new Date(now), met)).toMatchObject({ status, text });
  });
});

describe('recorded submissions', () => {
  it.each([
    [
      'nis2:early-warning=2026-11-26T08:00:00Z',
      { regime: 'nis2', stage: 'early warning', at: '2026-11-26T08:00:00.000Z' },
    ],
    [
      'dora:initial=2026-11-25T12:00+01:00',
      { regime: 'dora', stage: 'initial notification', at: '2026-11-25T11:00:00.000Z' },
    ],
    ['gdpr:consequences=2026-11-26T08:00Z', expect.stringMatching(/is not STAGE=TIME/)],
    ['nis2:final=tomorrow', expect.stringMatching(/not an ISO 8601 time/)],
  ])('%s parses to %j', (text, expected) => {
    expect(parseSubmission(text)).toEqual(expected);
  });
});
