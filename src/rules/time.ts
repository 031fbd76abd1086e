const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDate(instant: string, timezone: string): string {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, format);
  }
  return format.format(new Date(instant));
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(instant: string, days: number): string {
  return new Date(new Date(instant).getTime() + days * DAY_MS).toISOString();
}
