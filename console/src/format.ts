import type { TFunction } from 'i18next';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Display formats follow the console's language; dates and times of a merchant's data are read in the
 * merchant's time zone (a support agent and the store must see the same day). Amounts arrive in minor units.
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day ("2026-01-01") names no instant: it is shown as is, in no zone. */
const zoneOf = (value: string | Date, timeZone: string | undefined) => (typeof value === 'string' && DATE_ONLY.test(value) ? 'UTC' : timeZone);

export const formatDate = (value: string | Date | null | undefined, lang: string, timeZone?: string) =>
  value ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: zoneOf(value, timeZone) }).format(new Date(value)) : '—';
export const formatDay = (value: string | Date | null | undefined, lang: string, timeZone?: string) =>
  value ? new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: zoneOf(value, timeZone) }).format(new Date(value)) : '—';
/** A share in basis points (4999 = 49.99 %), as the language writes a percentage. */
export const formatShare = (basisPoints: unknown, lang: string) =>
  typeof basisPoints === 'number'
    ? new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(basisPoints / 10_000)
    : '—';
/** A count as the language writes it (30 684 in French, 30,684 in English). */
export const formatNumber = (n: unknown, lang: string) => (typeof n === 'number' ? new Intl.NumberFormat(lang).format(n) : '—');
export const formatMoney = (minor: unknown, lang: string) =>
  typeof minor === 'number' ? new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100) : '—';

/**
 * The merchant whose data a page shows: its time zone (dates), series (words) and name. Undefined on pages
 * of no one merchant: those show each row in its merchant's zone, or the browser's zone named on the page
 * (`TimeZoneNote`), and words that fit both series.
 */
export const MerchantContext = createContext<{ timezone: string; series?: 'x' | 'r'; name?: string } | undefined>(undefined);

/** The zone a page of no merchant shows its times in: the browser's, which the page names. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** How far a time zone's wall clock is ahead of UTC at an instant, in ms (negative west of Greenwich). */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000;
}

/**
 * A wall-clock time ("2026-11-20T09:30" or a day "2026-11-20", its midnight) read in a time zone (the
 * merchant's), as an instant. The browser's own parsing would read it in the browser's zone: a support
 * agent in Tokyo asking for a Montréal store's day would get the wrong 24 hours.
 */
export function zonedInstant(local: string, timeZone: string): Date {
  const [day, time = '00:00'] = local.split('T');
  const [y, mo, d] = day!.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  // Twice: the first guess may sit on the other side of a daylight-saving change.
  const first = wall - zoneOffset(wall, timeZone);
  return new Date(wall - zoneOffset(first, timeZone));
}

/** The calendar day ("2026-11-20") an instant falls on in a time zone (the merchant's "today"). */
export function dayIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The day after a calendar day ("2026-03-08" → "2026-03-09"), whatever the zone's clock changes. */
export const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** How a person names a sale: by its receipt number, else by Lightspeed's Sale ID (never a bare id). */
export const saleName = (t: TFunction, sale: { saleId: string; receipt: string | null }) =>
  sale.receipt ? t('sale.title', { receipt: sale.receipt }) : t('sale.titleNoReceipt', { saleId: sale.saleId });

/** The formats of the page's language and merchant time zone. */
export function useFormat() {
  const { i18n } = useTranslation();
  const zone = useContext(MerchantContext)?.timezone;
  const lang = i18n.language;
  return {
    zone,
    date: (value: string | Date | null | undefined) => formatDate(value, lang, zone),
    day: (value: string | Date | null | undefined) => formatDay(value, lang, zone),
    money: (minor: unknown) => formatMoney(minor, lang),
    number: (n: unknown) => formatNumber(n, lang),
    share: (basisPoints: unknown) => formatShare(basisPoints, lang),
  };
}

/** The series' own word for a customer segment: X-Series "customer group", R-Series "customer type". */
export function useSegmentWord(): string {
  const { t } = useTranslation();
  const series = useContext(MerchantContext)?.series;
  return t(`series.${series ?? 'any'}.segment`);
}
