/** Display formats follow the console's language. Amounts arrive in minor units (cents). */
export const formatDate = (value: string | Date | null | undefined, lang: string) =>
  value ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)) : '—';
/** A day; in `timeZone` when given (a pending date is the merchant's local date, not the reader's). */
export const formatDay = (value: string | Date | null | undefined, lang: string, timeZone?: string) =>
  value ? new Intl.DateTimeFormat(lang, { dateStyle: 'long', ...(timeZone ? { timeZone } : {}) }).format(new Date(value)) : '—';
/** A share in basis points (4999 = 49.99 %), as the language writes a percentage. */
export const formatShare = (basisPoints: unknown, lang: string) =>
  typeof basisPoints === 'number'
    ? new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(basisPoints / 10_000)
    : '—';
export const formatMoney = (minor: unknown, lang: string) =>
  typeof minor === 'number' ? new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100) : '—';
