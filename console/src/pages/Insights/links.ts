/** The console URL of the sales behind a figure: a window plus filters, as GET .../insights/sales takes them. */
export function salesLink(merchantId: string, filter: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, v);
  return `/merchants/${encodeURIComponent(merchantId)}/insights/sales?${q.toString()}`;
}

/** Causes a completed sale earned nothing by (the why-not chart's), as the API names them. */
export const earningCauses = 'CREDITED,PENDING_UNTIL';

/** A local day (YYYY-MM-DD) in the console's language, without moving it to the browser's time zone. */
export const formatLocalDay = (day: string, lang: string) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

export const formatPercent = (rate: number | null, lang: string) =>
  rate === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(rate);

/** Seconds as the largest fitting unit ("≤ 2 min"). */
export function formatSeconds(seconds: number | null, lang: string): string {
  if (seconds === null) return '—';
  const [value, unit] =
    seconds < 120
      ? [seconds, 'second']
      : seconds < 7_200
        ? [seconds / 60, 'minute']
        : seconds < 172_800
          ? [seconds / 3_600, 'hour']
          : [seconds / 86_400, 'day'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 }).format(value);
}

/** Distinct colours with enough contrast on white (Okabe–Ito, colour-blind safe). */
export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B'];

/**
 * How a cashier, register or outlet is named: its name from Lightspeed, else "Unknown cashier (id …)",
 * else (no id on the sale) "not given by Lightspeed".
 */
export function placeLabel(
  t: (key: string, options?: Record<string, unknown>) => string,
  dimension: 'cashier' | 'register' | 'outlet',
  id: string | null,
  name: string | null | undefined,
): string {
  if (name) return name;
  return id ? t(`insights.attach.unnamed.${dimension}`, { id }) : t('insights.attach.unknown');
}

/** How a product or category exemption is named: its name from Lightspeed, else "Unknown product (id …)". */
export function exemptionLabel(
  t: (key: string, options?: Record<string, unknown>) => string,
  kind: 'product' | 'category',
  id: string,
  name: string | null | undefined,
): string {
  return name || t(`insights.withheld.unnamed.${kind}`, { id });
}
