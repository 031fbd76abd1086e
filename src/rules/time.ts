const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDate(instant: string, timezone: string): string {
  let format = dateFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timezone, format);
  }
  return format.format(new Date(instant));
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time of an instant in a zone (Intl knows the zone's rules; nothing is hand-tabled). */
function wallTime(ms: number, timezone: string): WallTime {
  let format = partFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
/** The zone's offset from UTC at an instant, in ms (whole seconds; sub-second parts are carried separately). */
const offsetAt = (ms: number, timezone: string) => asUtc(wallTime(ms, timezone)) - Math.floor(ms / 1000) * 1000;

/**
 * N calendar days later in the merchant's zone, at the same local time of day: across a DST change a day
 * is 23 or 25 hours, so 7 days after 23:30 on 2027-03-07 in Montreal is 23:30 on March 14 (not 00:30 on
 * the 15th, as 7 × 24 h would give). A local time that does not exist that day (the hour skipped in
 * spring) resolves to an instant on the same local date.
 */
export function addLocalDays(instant: string, days: number, timezone: string): string {
  const ms = new Date(instant).getTime();
  const subSecond = ms - Math.floor(ms / 1000) * 1000;
  const start = wallTime(ms, timezone);
  const target = asUtc({ ...start, day: start.day + days });
  let utc = target - offsetAt(target, timezone);
  const corrected = offsetAt(utc, timezone);
  if (target - corrected !== utc) utc = target - corrected;
  return new Date(utc + subSecond).toISOString();
}

/** "2027-03-14 23:30" in the zone: how messages show a moment to the merchant. */
export function localDateTime(instant: string, timezone: string): string {
  const w = wallTime(new Date(instant).getTime(), timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}`;
}
