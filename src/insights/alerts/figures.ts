import type { Db } from '../../db/pool.js';
import { countedCauses } from '../cause.js';
import type { MerchantFigures } from './detect.js';
import { thresholdsSchema, type Thresholds } from './thresholds.js';

/**
 * The merchants a detector pass looks at: those with sales decided on the days it compares (found by
 * the rollups' day index, so a pass costs O(merchants with new sales)), those with an alert to resolve,
 * and those an operational condition names (reauthorization, stalled polling, failed events).
 */
export async function merchantsToExamine(db: Db, since: string, stalledBefore: Date, failedAtLeast: number): Promise<string[]> {
  const { rows } = await db.query<{ merchant_id: string }>({
    name: 'insights.alerts.merchantsToExamine',
    text: `SELECT DISTINCT merchant_id FROM insight_rollups WHERE day >= $1::date
           UNION SELECT merchant_id FROM insight_alerts WHERE status <> 'resolved'
           UNION SELECT id FROM merchants WHERE needs_reauth
           UNION SELECT merchant_id FROM poll_state WHERE last_success_at IS NULL OR last_success_at < $2
           UNION SELECT merchant_id FROM sale_events WHERE status = 'failed' GROUP BY merchant_id HAVING count(*) >= $3`,
    values: [since, stalledBefore, failedAtLeast],
  });
  return rows.map((r) => r.merchant_id);
}

/** Everything `detect` reads, for many merchants at once (a handful of statements per chunk). */
export async function figuresOf(db: Db, merchantIds: string[], now: Date): Promise<Map<string, { figures: MerchantFigures; thresholds: Thresholds }>> {
  const [merchants, days, attach, intake, failed, rules] = await Promise.all([
    db.query<{
      id: string;
      series: 'x' | 'r';
      day: string;
      needs_reauth: boolean;
      needs_reauth_reason: string | null;
      polls: boolean;
      last_success_at: Date | null;
      settings: unknown;
    }>({
      name: 'insights.alerts.merchants',
      text: `SELECT m.id, m.series, ((($2::timestamptz) AT TIME ZONE m.timezone)::date - 1)::text AS day, m.needs_reauth, m.needs_reauth_reason,
                    p.merchant_id IS NOT NULL AS polls, p.last_success_at, s.settings
               FROM merchants m LEFT JOIN poll_state p ON p.merchant_id = m.id LEFT JOIN insight_alert_settings s ON s.merchant_id = m.id
              WHERE m.id = ANY($1::text[])`,
      values: [merchantIds, now],
    }),
    db.query<{ merchant_id: string; day: string; cause: string; sales: number }>({
      name: 'insights.alerts.days',
      text: `SELECT r.merchant_id, r.day::text, r.cause, sum(r.sales)::int AS sales
               FROM insight_rollups r JOIN merchants m ON m.id = r.merchant_id
              WHERE r.merchant_id = ANY($1::text[]) AND r.day >= ((($2::timestamptz) AT TIME ZONE m.timezone)::date - 29) AND r.cause = ANY($3::text[])
              GROUP BY 1, 2, 3`,
      values: [merchantIds, now, countedCauses],
    }),
    db.query<{ merchant_id: string; dimension: 'register' | 'cashier'; id: string; sales: number; with_customer: number }>({
      name: 'insights.alerts.attach',
      text: `SELECT r.merchant_id, CASE WHEN GROUPING(r.register_id) = 0 THEN 'register' ELSE 'cashier' END AS dimension,
                    coalesce(r.register_id, r.cashier_id) AS id, sum(r.sales)::int AS sales, sum(r.with_customer)::int AS with_customer
               FROM insight_rollups r JOIN merchants m ON m.id = r.merchant_id
              WHERE r.merchant_id = ANY($1::text[]) AND r.day >= ((($2::timestamptz) AT TIME ZONE m.timezone)::date - 7) AND r.cause = ANY($3::text[])
              GROUP BY GROUPING SETS ((r.merchant_id, r.register_id), (r.merchant_id, r.cashier_id))`,
      values: [merchantIds, now, countedCauses],
    }),
    db.query<{ merchant_id: string; webhook: number; poll: number }>({
      name: 'insights.alerts.intake',
      text: `SELECT i.merchant_id, coalesce(sum(i.sales) FILTER (WHERE i.source = 'webhook'), 0)::int AS webhook,
                    coalesce(sum(i.sales) FILTER (WHERE i.source = 'poll'), 0)::int AS poll
               FROM insight_intake i JOIN merchants m ON m.id = i.merchant_id
              WHERE i.merchant_id = ANY($1::text[]) AND i.day >= ((($2::timestamptz) AT TIME ZONE m.timezone)::date - 1)
              GROUP BY 1`,
      values: [merchantIds, now],
    }),
    db.query<{ merchant_id: string; n: number }>({
      name: 'insights.alerts.failed',
      text: `SELECT merchant_id, count(*)::int AS n FROM sale_events WHERE merchant_id = ANY($1::text[]) AND status = 'failed' GROUP BY 1`,
      values: [merchantIds],
    }),
    db.query<{ merchant_id: string; version: number; created_at: Date; created_by: string }>({
      name: 'insights.alerts.rules',
      text: `SELECT merchant_id, version, created_at, created_by FROM rules_versions
              WHERE merchant_id = ANY($1::text[]) AND created_at >= $2::timestamptz - interval '8 days' ORDER BY version DESC`,
      values: [merchantIds, now],
    }),
  ]);
  const out = new Map<string, { figures: MerchantFigures; thresholds: Thresholds }>();
  for (const m of merchants.rows) {
    const parsed = thresholdsSchema.safeParse(m.settings ?? {});
    out.set(m.id, {
      thresholds: parsed.success ? parsed.data : thresholdsSchema.parse({}),
      figures: {
        series: m.series,
        day: m.day,
        days: [],
        attach: [],
        intake: { webhook: 0, poll: 0 },
        ops: {
          needsReauth: m.needs_reauth,
          reauthReason: m.needs_reauth_reason,
          polls: m.polls,
          lastPollSuccessAt: m.last_success_at?.toISOString() ?? null,
          failedEvents: 0,
        },
        rulesChanges: [],
      },
    });
  }
  const dayMaps = new Map<string, Map<string, MerchantFigures['days'][number]>>();
  for (const r of days.rows) {
    let map = dayMaps.get(r.merchant_id);
    if (!map) dayMaps.set(r.merchant_id, (map = new Map()));
    let d = map.get(r.day);
    if (!d) map.set(r.day, (d = { day: r.day, completed: 0, earning: 0, causes: {} }));
    d.completed += r.sales;
    if (r.cause === 'CREDITED' || r.cause === 'PENDING_UNTIL') d.earning += r.sales;
    else d.causes[r.cause] = (d.causes[r.cause] ?? 0) + r.sales;
  }
  for (const [id, map] of dayMaps) if (out.has(id)) out.get(id)!.figures.days = [...map.values()];
  for (const r of attach.rows) out.get(r.merchant_id)?.figures.attach.push({ dimension: r.dimension, id: r.id, sales: r.sales, withCustomer: r.with_customer });
  for (const r of intake.rows) if (out.has(r.merchant_id)) out.get(r.merchant_id)!.figures.intake = { webhook: r.webhook, poll: r.poll };
  for (const r of failed.rows) if (out.has(r.merchant_id)) out.get(r.merchant_id)!.figures.ops.failedEvents = r.n;
  for (const r of rules.rows)
    out.get(r.merchant_id)?.figures.rulesChanges.push({ version: r.version, createdAt: r.created_at.toISOString(), createdBy: r.created_by });
  return out;
}
