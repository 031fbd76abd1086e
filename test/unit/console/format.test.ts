import { describe, expect, it } from 'vitest';
import { dayIn, nextDay, zonedInstant } from '../../../console/src/format.js';

// A day or a time typed for a merchant is read on the merchant's clock, whatever the browser's zone.
describe('zonedInstant: a wall-clock time read in a time zone', () => {
  it.each([
    ['2026-11-20T09:30', 'America/Montreal', '2026-11-20T14:30:00.000Z'], // EST, UTC−5
    ['2026-07-01T09:30', 'America/Montreal', '2026-07-01T13:30:00.000Z'], // EDT, UTC−4
    ['2026-11-20T09:30', 'Asia/Tokyo', '2026-11-20T00:30:00.000Z'],
    ['2026-11-20', 'America/Vancouver', '2026-11-20T08:00:00.000Z'], // a day: its midnight
    ['2026-03-08', 'America/Montreal', '2026-03-08T05:00:00.000Z'], // the day clocks go forward, before the change
    ['2026-03-08T03:00', 'America/Montreal', '2026-03-08T07:00:00.000Z'], // just after it
    ['2026-11-01T03:00', 'America/Montreal', '2026-11-01T08:00:00.000Z'], // after clocks go back
    ['2026-10-25T12:00', 'Europe/Paris', '2026-10-25T11:00:00.000Z'],
    ['2026-11-20T09:30', 'UTC', '2026-11-20T09:30:00.000Z'],
  ])('%s in %s is %s', (local, zone, iso) => {
    expect(zonedInstant(local, zone).toISOString()).toBe(iso);
  });

  it('a whole day of the store is its midnight to the next midnight: 23 hours when clocks go forward, 25 when they go back', () => {
    const hours = (day: string, zone: string) => (zonedInstant(nextDay(day), zone).getTime() - zonedInstant(day, zone).getTime()) / 3_600_000;
    expect(hours('2026-03-08', 'America/Montreal')).toBe(23);
    expect(hours('2026-11-01', 'America/Montreal')).toBe(25);
    expect(hours('2026-11-20', 'America/Montreal')).toBe(24);
  });
});

describe('dayIn and nextDay', () => {
  it('an instant falls on the store’s own day', () => {
    const at = new Date('2026-11-20T04:30:00Z');
    expect(dayIn(at, 'America/Montreal')).toBe('2026-11-19');
    expect(dayIn(at, 'Europe/Paris')).toBe('2026-11-20');
  });
  it('the day after, across a month and a year', () => {
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
