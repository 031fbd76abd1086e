import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addLocalDays, localDate, localDateTime } from '../../../src/rules/time.js';
import { evaluate } from '../../../src/rules/index.js';
import { context, rules, sale } from './builders.js';

const MONTREAL = 'America/Montreal';
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('"rewarded after N days" counts local calendar days in the merchant zone', () => {
  it('23:30 on 2027-03-07 in Montreal + 7 days (DST starts on the 14th) is 23:30 on local March 14, not 00:30 on the 15th', () => {
    const soldAt = '2027-03-08T04:30:00.000Z'; // 23:30 EST on March 7
    const availableAt = addLocalDays(soldAt, 7, MONTREAL);
    expect(availableAt).toBe('2027-03-15T03:30:00.000Z');
    expect(localDateTime(availableAt, MONTREAL)).toBe('2027-03-14 23:30');
  });

  it('across the autumn change (2027-11-07) too: 00:30 on November 1 + 7 days is 00:30 on November 8', () => {
    const availableAt = addLocalDays('2027-11-01T04:30:00.000Z', 7, MONTREAL);
    expect(localDateTime(availableAt, MONTREAL)).toBe('2027-11-08 00:30');
  });

  it('a local time the spring change skips still lands on the right local date', () => {
    // 02:30 on 2027-03-07 (EST) + 7 days: 02:30 does not exist on March 14 in Montreal.
    expect(localDate(addLocalDays('2027-03-07T07:30:00.000Z', 7, MONTREAL), MONTREAL)).toBe('2027-03-14');
  });

  it('for any instant, zone and delay, the local date moves by exactly N days', () => {
    const zones = ['America/Montreal', 'Europe/Paris', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Apia', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2035-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 400 }),
        (ms, zone, days) => {
          const instant = new Date(ms).toISOString();
          expect(localDate(addLocalDays(instant, days, zone), zone)).toBe(plusDays(localDate(instant, zone), days));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('PENDING_UNTIL gives the date and time in the merchant zone, and the local date in its data', () => {
    const d = evaluate(
      sale({ completedAt: '2027-03-08T04:30:00.000Z' }),
      rules({ delayDays: 7, autoRewards: { enabled: true, startDate: '2020-01-01' } }),
      context({ now: '2027-03-08T05:00:00.000Z' }),
    );
    expect(d).toMatchObject({ status: 'pending', availableAt: '2027-03-15T03:30:00.000Z' });
    expect(d.reasons[0]!.message).toBe('10 points are pending until 2027-03-14 23:30 (America/Montreal; rewarded 7 days after the sale, rules v4)');
    expect(d.reasons[0]!.data).toMatchObject({ availableOn: '2027-03-14', timezone: 'America/Montreal', delayDays: 7 });
  });
});
