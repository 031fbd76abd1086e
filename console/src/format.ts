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
export const formatMoney = (minor: unknown, lang: string) =>
  typeof minor === 'number' ? new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100) : '—';

/**
 * The merchant whose data a page shows: its time zone (dates) and series (words). Undefined on pages of
 * no one merchant: the browser's zone then, and words that fit both series.
 */
export const MerchantContext = createContext<{ timezone: string; series?: 'x' | 'r' } | undefined>(undefined);

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
    share: (basisPoints: unknown) => formatShare(basisPoints, lang),
  };
}

/** The series' own word for a customer segment: X-Series "customer group", R-Series "customer type". */
export function useSegmentWord(): string {
  const { t } = useTranslation();
  const series = useContext(MerchantContext)?.series;
  return t(`series.${series ?? 'any'}.segment`);
}
