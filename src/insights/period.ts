import { z } from 'zod';
import { DomainError } from '../domainError.js';
import { localDate } from '../rules/time.js';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** The figures' window: the last 7/30/90/365 local days, or from–to (inclusive), by day or by week. */
export const periodQuerySchema = z.object({
  period: z.enum(['7', '30', '90', '365']).optional().describe('the last N days in the merchant time zone, today included (default 30)'),
  from: isoDay.optional().describe('first local day (YYYY-MM-DD), with `to`, instead of `period`'),
  to: isoDay.optional().describe('last local day (YYYY-MM-DD), inclusive'),
  by: z.enum(['day', 'week']).default('day').describe('one point per day, or per week (weeks start on Monday)'),
});
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

export interface Period {
  from: string;
  to: string;
  by: 'day' | 'week';
}

const MAX_DAYS = 731;
const DAY = 86_400_000;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY;
const dayOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

/** The window in local days (pure but for `now`). Throws `invalid` for a reversed or too long window. */
export function periodOf(q: PeriodQuery, timezone: string, now: Date): Period {
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new DomainError('invalid', 'PERIOD_INVALID', 'from and to go together');
    if (Number.isNaN(dayNumber(q.from)) || Number.isNaN(dayNumber(q.to)))
      throw new DomainError('invalid', 'PERIOD_INVALID', 'from and to must be calendar days');
    const days = dayNumber(q.to) - dayNumber(q.from) + 1;
    if (days < 1 || days > MAX_DAYS) throw new DomainError('invalid', 'PERIOD_INVALID', `from must be on or before to, at most ${MAX_DAYS} days apart`);
    return { from: q.from, to: q.to, by: q.by };
  }
  const to = localDate(now.toISOString(), timezone);
  return { from: dayOf(dayNumber(to) - Number(q.period ?? '30') + 1), to, by: q.by };
}
