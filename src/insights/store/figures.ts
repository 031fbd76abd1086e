import type { Db } from '../../db/pool.js';
import { countedCauses, whyNotCauses } from '../cause.js';
import type { Period } from '../period.js';

const bucketSql = (column: string) => `CASE WHEN $4 = 'week' THEN date_trunc('week', ${column})::date ELSE ${column} END::text`;

export interface CauseRow {
  bucket: string;
  cause: string;
  sales: number;
  with_customer: number;
  points: number;
  pending: number;
  reversed: number;
}

/** Sales per bucket and cause (the earning rate and the why-not chart), from the day × cause rollup (≤ 18 rows a day). */
export async function causeRows(db: Db, merchantId: string, p: Period): Promise<CauseRow[]> {
  const { rows } = await db.query<CauseRow>({
    name: 'insights.causeRows',
    text: `SELECT ${bucketSql('day')} AS bucket, cause, sum(sales)::int AS sales, sum(with_customer)::int AS with_customer,
                  sum(points)::bigint AS points, sum(pending)::bigint AS pending, sum(reversed)::bigint AS reversed
             FROM insight_days WHERE merchant_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
    values: [merchantId, p.from, p.to, p.by],
  });
  return rows;
}

export interface AttachRow {
  dimension: 'outlet' | 'register' | 'cashier';
  id: string;
  sales: number;
  with_customer: number;
}

/** Completed sales and those with a customer, per outlet, register and cashier over the window (the per-day attach rollup). */
export async function attachRows(db: Db, merchantId: string, p: Period): Promise<AttachRow[]> {
  const { rows } = await db.query<AttachRow>({
    name: 'insights.attachRows',
    text: `SELECT dimension, id, sum(sales)::int AS sales, sum(with_customer)::int AS with_customer
             FROM insight_attach WHERE merchant_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
    values: [merchantId, p.from, p.to],
  });
  return rows;
}

export interface PointsRow {
  bucket: string;
  earned: number;
  pending_in: number;
  released: number;
  reversed: number;
  adjusted: number;
}

/** Points moved per bucket, and the balances (total and pending) before the window. */
export async function pointsRows(db: Db, merchantId: string, p: Period): Promise<{ rows: PointsRow[]; opening: { total: number; pending: number } }> {
  const [moved, opening] = await Promise.all([
    db.query<PointsRow>({
      name: 'insights.pointsRows',
      text: `SELECT ${bucketSql('day')} AS bucket, sum(earned)::bigint AS earned, sum(pending_in)::bigint AS pending_in, sum(released)::bigint AS released,
                    sum(reversed)::bigint AS reversed, sum(adjusted)::bigint AS adjusted
               FROM insight_points WHERE merchant_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1`,
      values: [merchantId, p.from, p.to, p.by],
    }),
    db.query<{ total: number; pending: number }>({
      name: 'insights.pointsOpening',
      text: `SELECT coalesce(sum(earned + reversed + adjusted), 0)::bigint AS total, coalesce(sum(pending_in - released), 0)::bigint AS pending
               FROM insight_points WHERE merchant_id = $1 AND day < $2::date`,
      values: [merchantId, p.from],
    }),
  ]);
  return { rows: moved.rows, opening: opening.rows[0]! };
}

/**
 * Sales first seen by a source in a bucket (`delay_bucket` null), or the window's sales in one delay bucket
 * (`bucket` and `source` null): the view needs no delay per bucket, and a year by day would otherwise be
 * 366 × sources × delay buckets rows to read and parse.
 */
export interface IntakeRow {
  bucket: string | null;
  source: string | null;
  delay_bucket: number | null;
  sales: number;
}

/** Completed sales per bucket by how they were first seen, with the sale → decision delay histogram. */
export async function intakeRows(db: Db, merchantId: string, p: Period): Promise<IntakeRow[]> {
  const { rows } = await db.query<IntakeRow>({
    name: 'insights.intakeRows',
    text: `SELECT ${bucketSql('day')} AS bucket, source, delay_bucket, sum(sales)::int AS sales
             FROM insight_intake WHERE merchant_id = $1 AND day BETWEEN $2::date AND $3::date
            GROUP BY GROUPING SETS ((1, source), (delay_bucket))`,
    values: [merchantId, p.from, p.to, p.by],
  });
  return rows;
}

export interface WithheldRow {
  bucket: string;
  kind: 'product' | 'category';
  exempt_id: string;
  sales: number;
  points: number;
}

/** Points withheld per bucket and exemption (figure 5), from the per-day exemption rollup. */
export async function withheldRows(db: Db, merchantId: string, p: Period): Promise<WithheldRow[]> {
  const { rows } = await db.query<WithheldRow>({
    name: 'insights.withheldRows',
    text: `SELECT ${bucketSql('day')} AS bucket, kind, exempt_id, sum(sales)::int AS sales, sum(points)::int AS points
             FROM insight_exemptions WHERE merchant_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2, 3`,
    values: [merchantId, p.from, p.to, p.by],
  });
  return rows;
}

export interface SaleFilter {
  from: string;
  to: string;
  causes?: string[];
  outletId?: string;
  registerId?: string;
  cashierId?: string;
  source?: string;
  withCustomer?: boolean;
  /** Only the sales this exemption withheld points from. */
  exemption?: { kind: 'product' | 'category'; id: string };
  offset: number;
  limit: number;
}

export interface InsightSaleRow {
  sale_id: string;
  day: string;
  completed_at: Date | null;
  outlet_id: string;
  register_id: string;
  cashier_id: string;
  cause: string;
  has_customer: boolean;
  points: number;
  reversed: number;
  first_source: string;
}

/** The sales behind a figure, newest first: one more than `limit`, so the caller knows whether more follow. */
export async function insightSales(db: Db, merchantId: string, f: SaleFilter): Promise<InsightSaleRow[]> {
  const filters = `merchant_id = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text[] IS NULL OR cause = ANY($4::text[]))
              AND ($5::text IS NULL OR outlet_id = $5) AND ($6::text IS NULL OR register_id = $6) AND ($7::text IS NULL OR cashier_id = $7)
              AND ($8::text IS NULL OR first_source = $8) AND ($9::boolean IS NULL OR has_customer = $9)`;
  const values = [
    merchantId,
    f.from,
    f.to,
    f.causes ?? null,
    f.outletId ?? null,
    f.registerId ?? null,
    f.cashierId ?? null,
    f.source ?? null,
    f.withCustomer ?? null,
    f.limit + 1,
    f.offset,
  ];
  const columns = `sale_id, day::text, completed_at, outlet_id, register_id, cashier_id, cause, has_customer, points, reversed, first_source`;
  const order = `ORDER BY day DESC, completed_at DESC NULLS LAST, sale_id LIMIT $10 OFFSET $11`;
  // By exemption, a statement of its own that starts from the exemption's index: a rare exemption over a
  // year must not test every sale of the year.
  const { rows } = f.exemption
    ? await db.query<InsightSaleRow>({
        name: 'insights.salesByExemption',
        text: `SELECT ${columns} FROM insight_sales
                WHERE ${filters}
                  AND sale_id IN (SELECT x.sale_id FROM insight_sale_exemptions x
                                   WHERE x.merchant_id = $1 AND x.kind = $12 AND x.exempt_id = $13 AND x.day BETWEEN $2::date AND $3::date)
                ${order}`,
        values: [...values, f.exemption.kind, f.exemption.id],
      })
    : await db.query<InsightSaleRow>({ name: 'insights.sales', text: `SELECT ${columns} FROM insight_sales WHERE ${filters} ${order}`, values });
  return rows;
}

export interface OverviewRow {
  merchant_id: string;
  name: string;
  timezone: string;
  from_day: string;
  to_day: string;
  completed: number;
  earning: number;
  with_customer: number;
  top_cause: string | null;
  top_cause_sales: number | null;
}

/**
 * Period figures per merchant (the platform staff's overview), from the day × cause rollup: each
 * merchant's own last `days` local days, or the same from–to for all; `scope` limits to one merchant.
 */
export async function overviewRows(
  db: Db,
  window: { days: number; from?: undefined; to?: undefined } | { from: string; to: string },
  now: Date,
  scope: string | null,
): Promise<OverviewRow[]> {
  const { rows } = await db.query<OverviewRow>({
    name: 'insights.overview',
    text: `WITH w AS (
             SELECT m.id, m.name, m.timezone,
                    coalesce($1::date, ((($3::timestamptz) AT TIME ZONE m.timezone)::date - ($4::int - 1))) AS from_day,
                    coalesce($2::date, (($3::timestamptz) AT TIME ZONE m.timezone)::date) AS to_day
               FROM merchants m WHERE $5::text IS NULL OR m.id = $5
           ), c AS (
             SELECT w.id, d.cause, sum(d.sales)::int AS sales, sum(d.with_customer)::int AS with_customer
               FROM w JOIN insight_days d ON d.merchant_id = w.id AND d.day BETWEEN w.from_day AND w.to_day
              WHERE d.cause = ANY($6::text[]) GROUP BY 1, 2
           )
           SELECT w.id AS merchant_id, w.name, w.timezone, w.from_day::text, w.to_day::text, coalesce(sum(c.sales), 0)::int AS completed,
                  coalesce(sum(c.sales) FILTER (WHERE c.cause IN ('CREDITED', 'PENDING_UNTIL')), 0)::int AS earning,
                  coalesce(sum(c.with_customer), 0)::int AS with_customer,
                  (array_agg(c.cause ORDER BY c.sales DESC, c.cause) FILTER (WHERE c.cause = ANY($7::text[]) AND c.sales > 0))[1] AS top_cause,
                  (array_agg(c.sales ORDER BY c.sales DESC, c.cause) FILTER (WHERE c.cause = ANY($7::text[]) AND c.sales > 0))[1] AS top_cause_sales
             FROM w LEFT JOIN c ON c.id = w.id GROUP BY w.id, w.name, w.timezone, w.from_day, w.to_day`,
    values: [window.from ?? null, window.to ?? null, now, 'days' in window ? window.days : 1, scope, countedCauses, whyNotCauses],
  });
  return rows;
}
