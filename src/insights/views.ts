import { whyNotCauses } from './cause.js';
import type { Period } from './period.js';
import type { WithheldAnswer } from './withheldAnswer.js';
import type { AttachRow, CauseRow, InsightSaleRow, IntakeRow, OverviewRow, PointsRow, WithheldRow } from './store/figures.js';
import type { ExemptionNames, PlaceNames } from './store/names.js';

const DAY = 86_400_000;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY;
const dayOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const mondayOf = (d: string) => {
  const n = dayNumber(d);
  // 1970-01-01 was a Thursday: day 0 → weekday 3 counting from Monday.
  return dayOf(n - ((n + 3) % 7));
};

/** One point of a chart: its key (the day, or the week's Monday) and the local days it covers within the window. */
export interface Bucket {
  bucket: string;
  from: string;
  to: string;
}

/** Every bucket of the window, empty ones included, so a chart shows the gaps. */
export function bucketsOf(p: Period): Bucket[] {
  const out: Bucket[] = [];
  const end = dayNumber(p.to);
  if (p.by === 'day') {
    for (let n = dayNumber(p.from); n <= end; n += 1) out.push({ bucket: dayOf(n), from: dayOf(n), to: dayOf(n) });
    return out;
  }
  for (let n = dayNumber(mondayOf(p.from)); n <= end; n += 7) {
    out.push({ bucket: dayOf(n), from: dayOf(Math.max(n, dayNumber(p.from))), to: dayOf(Math.min(n + 6, end)) });
  }
  return out;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** Earning rate and why-not per bucket (pure). */
export function earningView(buckets: Bucket[], rows: CauseRow[]) {
  const at = new Map(buckets.map((b) => [b.bucket, { credited: 0, pending: 0, completed: 0, withCustomer: 0, causes: {} as Record<string, number> }]));
  const totals: Record<string, number> = {};
  for (const r of rows) {
    const b = at.get(r.bucket);
    if (!b) continue;
    if (r.cause === 'CREDITED') b.credited += r.sales;
    if (r.cause === 'PENDING_UNTIL') b.pending += r.sales;
    if (r.cause === 'CREDITED' || r.cause === 'PENDING_UNTIL' || whyNotCauses.includes(r.cause as never)) {
      b.completed += r.sales;
      b.withCustomer += r.with_customer;
    }
    if (whyNotCauses.includes(r.cause as never) && r.sales !== 0) {
      b.causes[r.cause] = (b.causes[r.cause] ?? 0) + r.sales;
      totals[r.cause] = (totals[r.cause] ?? 0) + r.sales;
    }
  }
  const earning = buckets.map((b) => {
    const v = at.get(b.bucket)!;
    return {
      ...b,
      completed: v.completed,
      credited: v.credited,
      pending: v.pending,
      withCustomer: v.withCustomer,
      earningRate: rate(v.credited + v.pending, v.completed),
    };
  });
  const causes = Object.entries(totals)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([cause]) => cause);
  const whyNot = buckets.map((b) => ({ ...b, causes: Object.fromEntries(causes.map((c) => [c, at.get(b.bucket)!.causes[c] ?? 0])) }));
  return { earning, whyNot: { causes, totals: Object.fromEntries(causes.map((c) => [c, totals[c]!])), rows: whyNot } };
}

/** Attach rate per outlet, register and cashier, worst first (pure). */
export function attachView(rows: AttachRow[], names: Partial<PlaceNames> = {}) {
  const by = (dimension: AttachRow['dimension']) =>
    rows
      .filter((r) => r.dimension === dimension && r.sales > 0)
      .map((r) => ({
        id: r.id,
        name: names[dimension]?.[r.id] ?? null,
        sales: r.sales,
        withCustomer: r.with_customer,
        attachRate: rate(r.with_customer, r.sales)!,
      }))
      .sort((a, b) => a.attachRate - b.attachRate || b.sales - a.sales || a.id.localeCompare(b.id));
  return { outlet: by('outlet'), register: by('register'), cashier: by('cashier') };
}

/** How many exemptions the chart draws (the table lists them all). */
export const WITHHELD_SERIES = 6;

/**
 * Points withheld by exemptions (pure): every exemption over the window, most points first (ties: most
 * sales, then kind and id), with its name where the reference cache has one, and the first few per bucket.
 */
export function withheldView(
  buckets: Bucket[],
  rows: WithheldRow[],
  names: Partial<ExemptionNames> = {},
): Omit<WithheldAnswer, 'merchantId' | 'timezone' | 'period'> {
  const totals = new Map<string, { key: string; kind: WithheldRow['kind']; id: string; points: number; sales: number }>();
  for (const r of rows) {
    const key = `${r.kind}:${r.exempt_id}`;
    const t = totals.get(key) ?? { key, kind: r.kind, id: r.exempt_id, points: 0, sales: 0 };
    t.points += r.points;
    t.sales += r.sales;
    totals.set(key, t);
  }
  const exemptions = [...totals.values()]
    .filter((t) => t.points > 0)
    .sort((a, b) => b.points - a.points || b.sales - a.sales || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
    .map((t) => ({ ...t, name: names[t.kind]?.[t.id] ?? null }));
  const keys = exemptions.slice(0, WITHHELD_SERIES).map((e) => e.key);
  const at = new Map(buckets.map((b) => [b.bucket, Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>]));
  for (const r of rows) {
    const b = at.get(r.bucket);
    const key = `${r.kind}:${r.exempt_id}`;
    if (b && key in b) b[key]! += r.points;
  }
  return {
    exemptions,
    total: { points: exemptions.reduce((n, e) => n + e.points, 0) },
    series: { keys, rows: buckets.map((b) => ({ ...b, points: at.get(b.bucket)! })) },
  };
}

/** Points moved per bucket and the outstanding balance (total and pending) at each bucket's end (pure). */
export function pointsView(buckets: Bucket[], rows: PointsRow[], opening: { total: number; pending: number }) {
  const at = new Map(rows.map((r) => [r.bucket, r]));
  let total = opening.total;
  let pending = opening.pending;
  const series = buckets.map((b) => {
    const r = at.get(b.bucket);
    const moved = { earned: r?.earned ?? 0, pendingIn: r?.pending_in ?? 0, released: r?.released ?? 0, reversed: r?.reversed ?? 0, adjusted: r?.adjusted ?? 0 };
    total += moved.earned + moved.reversed + moved.adjusted;
    pending += moved.pendingIn - moved.released;
    return { ...b, ...moved, outstanding: total, outstandingPending: pending };
  });
  return { rows: series, outstanding: { total, pending } };
}

export const sources = ['webhook', 'poll', 'backfill', 'unknown'] as const;

/** Upper bound in seconds of a delay bucket (bucket b holds delays in [2^b, 2^(b+1)) seconds; 0 also holds < 1 s). */
const bucketCeiling = (b: number) => 2 ** (b + 1);

function percentile(histogram: Map<number, number>, total: number, p: number): number | null {
  if (!total) return null;
  let seen = 0;
  for (const b of [...histogram.keys()].sort((x, y) => x - y)) {
    seen += histogram.get(b)!;
    if (seen >= p * total) return bucketCeiling(b);
  }
  return null;
}

/** How sales were first seen per bucket, and the sale → decision delay (median, p95: upper bounds of a log₂ histogram) (pure). */
export function intakeView(buckets: Bucket[], rows: IntakeRow[]) {
  const at = new Map(buckets.map((b) => [b.bucket, Object.fromEntries(sources.map((s) => [s, 0])) as Record<(typeof sources)[number], number>]));
  const histogram = new Map<number, number>();
  let timed = 0;
  for (const r of rows) {
    // A row counts by source where it has a bucket, and in the delay histogram where it has a delay bucket.
    const b = r.bucket === null ? undefined : at.get(r.bucket);
    const source = (sources as readonly string[]).includes(r.source ?? '') ? (r.source as (typeof sources)[number]) : 'unknown';
    if (b) b[source] += r.sales;
    if (r.delay_bucket !== null && r.delay_bucket >= 0 && r.sales > 0) {
      histogram.set(r.delay_bucket, (histogram.get(r.delay_bucket) ?? 0) + r.sales);
      timed += r.sales;
    }
  }
  const series = buckets.map((b) => ({ ...b, ...at.get(b.bucket)! }));
  const totals = Object.fromEntries(sources.map((s) => [s, series.reduce((n, r) => n + r[s], 0)]));
  return {
    rows: series,
    totals,
    webhookShare: rate(
      totals.webhook!,
      sources.reduce((n, s) => n + totals[s]!, 0),
    ),
    delay: { sales: timed, medianSecondsAtMost: percentile(histogram, timed, 0.5), p95SecondsAtMost: percentile(histogram, timed, 0.95) },
  };
}

/**
 * The sales behind a figure (pure), with the names of their outlet, register and cashier where Lightspeed
 * gave them (null: the console shows the id), and the names of the ids the list was filtered by.
 */
export function saleListView(rows: InsightSaleRow[], limit: number, names: Partial<PlaceNames> = {}) {
  const name = (dimension: keyof PlaceNames, id: string) => (id ? (names[dimension]?.[id] ?? null) : null);
  return {
    names: { outlet: names.outlet ?? {}, register: names.register ?? {}, cashier: names.cashier ?? {} },
    sales: rows.slice(0, limit).map((r) => ({
      saleId: r.sale_id,
      day: r.day,
      completedAt: r.completed_at?.toISOString() ?? null,
      outletId: r.outlet_id || null,
      outletName: name('outlet', r.outlet_id),
      registerId: r.register_id || null,
      registerName: name('register', r.register_id),
      cashierId: r.cashier_id || null,
      cashierName: name('cashier', r.cashier_id),
      cause: r.cause,
      hasCustomer: r.has_customer,
      points: r.points,
      reversed: r.reversed,
      firstSeenBy: r.first_source,
    })),
    more: rows.length > limit,
  };
}

/** GET /merchants/:id/insights (what the console reads). */
export type InsightsBody = {
  merchantId: string;
  timezone: string;
  period: Period;
  attach: ReturnType<typeof attachView>;
  points: ReturnType<typeof pointsView>;
  intake: ReturnType<typeof intakeView>;
} & ReturnType<typeof earningView>;

/** GET /merchants/:id/insights/sales. */
export type InsightSalesBody = {
  merchantId: string;
  period: Period;
  /** The name of the exemption filtered by (exemptKind, exemptId), when known. */ exemptionName: string | null;
} & ReturnType<typeof saleListView>;

/**
 * The cross-merchant overview (pure): period figures per merchant, worst first (lowest earning rate,
 * then most sales); merchants without a completed sale in the window last, by name.
 */
export function overviewView(rows: OverviewRow[], alerts: Array<{ merchantId: string; open: number; acknowledged: number }>) {
  const alertsOf = new Map(alerts.map((a) => [a.merchantId, a]));
  return rows
    .map((r) => ({
      merchantId: r.merchant_id,
      name: r.name,
      timezone: r.timezone,
      from: r.from_day,
      to: r.to_day,
      completed: r.completed,
      earning: r.earning,
      earningRate: rate(r.earning, r.completed),
      withCustomer: r.with_customer,
      attachRate: rate(r.with_customer, r.completed),
      topCause: r.top_cause ? { cause: r.top_cause, sales: r.top_cause_sales ?? 0 } : null,
      alerts: { open: alertsOf.get(r.merchant_id)?.open ?? 0, acknowledged: alertsOf.get(r.merchant_id)?.acknowledged ?? 0 },
    }))
    .sort(
      (a, b) =>
        (a.earningRate === null ? 1 : 0) - (b.earningRate === null ? 1 : 0) ||
        (a.earningRate ?? 0) - (b.earningRate ?? 0) ||
        b.completed - a.completed ||
        a.name.localeCompare(b.name) ||
        a.merchantId.localeCompare(b.merchantId),
    );
}

/** GET /insights/overview. */
export type InsightsOverviewBody = { period: { days: number | null; from: string | null; to: string | null }; merchants: ReturnType<typeof overviewView> };
