import type { Db } from '../../db/pool.js';
import { failingDisabledEndpoints } from '../../events/store/disabledEndpoints.js';
import type { MerchantFigures } from '../alerts/detect.js';
import { thresholdsSchema, type Thresholds } from '../alerts/thresholds.js';
import { countedCauses } from '../cause.js';

/** A (merchant, local day) whose figures changed, as a pass read it: `changes` is the count it saw. */
export interface DueDay {
  merchantId: string;
  day: string;
  changes: number;
}

/**
 * The merchants a detector pass looks at: those whose figures changed since the last pass or whose
 * changed day has just ended (insight_detector_due: about one row per merchant that sold today, so this
 * is O(merchants with new sales)), those with an alert to resolve, and those an operational condition
 * names (reauthorization, stalled polling, failed events: each found by its own index or a small table).
 */
export async function merchantsToExamine(db: Db, now: Date, stalledBefore: Date, failedAtLeast: number): Promise<{ merchantIds: string[]; due: DueDay[] }> {
  const [due, others] = await Promise.all([
    db.query<{ merchant_id: string; day: string; changes: string }>({
      name: 'insights.alerts.due',
      text: `SELECT q.merchant_id, q.day::text, q.changes::text FROM insight_detector_due q JOIN merchants m ON m.id = q.merchant_id
              WHERE q.changes > q.seen OR q.day < (($1::timestamptz) AT TIME ZONE m.timezone)::date`,
      values: [now],
    }),
    db.query<{ merchant_id: string }>({
      name: 'insights.alerts.merchantsToExamine',
      text: `SELECT merchant_id FROM insight_alerts WHERE status <> 'resolved'
             UNION SELECT id FROM merchants WHERE needs_reauth
             UNION SELECT merchant_id FROM poll_state WHERE last_success_at IS NULL OR last_success_at < $1
             UNION SELECT merchant_id FROM sale_events WHERE status = 'failed' GROUP BY merchant_id HAVING count(*) >= $2`,
      values: [stalledBefore, failedAtLeast],
    }),
  ]);
  const dueDays = due.rows.map((r) => ({ merchantId: r.merchant_id, day: r.day, changes: Number(r.changes) }));
  const merchantIds = [...new Set([...dueDays.map((d) => d.merchantId), ...others.rows.map((r) => r.merchant_id)])].sort();
  return { merchantIds, due: dueDays };
}

/** Asks the next pass to look at a merchant whose figures did not change (e.g. its thresholds did). */
export async function markDetectorDue(db: Db, merchantId: string): Promise<void> {
  await db.query(
    `INSERT INTO insight_detector_due AS q (merchant_id, day)
     SELECT id, (now() AT TIME ZONE timezone)::date FROM merchants WHERE id = $1
     ON CONFLICT (merchant_id, day) DO UPDATE SET changes = q.changes + 1`,
    [merchantId],
  );
}

/**
 * After a pass examined these days: an ended day is done (deleted), a day still running is marked seen
 * (examined again when it changes or ends). A change counted after the pass read the row keeps it due.
 */
export async function markExamined(db: Db, days: DueDay[], now: Date): Promise<void> {
  if (!days.length) return;
  const input = JSON.stringify(days.map((d) => ({ merchant_id: d.merchantId, day: d.day, changes: d.changes })));
  await db.query({
    name: 'insights.alerts.doneDays',
    text: `DELETE FROM insight_detector_due q USING jsonb_to_recordset($1::jsonb) AS i (merchant_id text, day date, changes bigint), merchants m
            WHERE q.merchant_id = i.merchant_id AND q.day = i.day AND q.changes = i.changes AND m.id = q.merchant_id
              AND q.day < (($2::timestamptz) AT TIME ZONE m.timezone)::date`,
    values: [input, now],
  });
  await db.query({
    name: 'insights.alerts.seenDays',
    text: `UPDATE insight_detector_due q SET seen = greatest(q.seen, i.changes)
             FROM jsonb_to_recordset($1::jsonb) AS i (merchant_id text, day date, changes bigint)
            WHERE q.merchant_id = i.merchant_id AND q.day = i.day`,
    values: [input],
  });
}

/** Everything `detect` reads, for many merchants at once (a handful of statements per chunk). */
export async function figuresOf(db: Db, merchantIds: string[], now: Date): Promise<Map<string, { figures: MerchantFigures; thresholds: Thresholds }>> {
  const [merchants, days, attach, intake, failed, rules, endpoints] = await Promise.all([
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
      text: `SELECT r.merchant_id, r.day::text, r.cause, r.sales
               FROM insight_days r JOIN merchants m ON m.id = r.merchant_id
                            CROSS JOIN LATERAL (SELECT ((($2::timestamptz) AT TIME ZONE m.timezone)::date - 1) AS y) d
              WHERE r.merchant_id = ANY($1::text[]) AND r.day IN (d.y, d.y - 7, d.y - 14, d.y - 21, d.y - 28) AND r.cause = ANY($3::text[]) AND r.sales <> 0`,
      values: [merchantIds, now, countedCauses],
    }),
    db.query<{ merchant_id: string; dimension: 'register' | 'cashier'; id: string; name: string | null; sales: number; with_customer: number }>({
      name: 'insights.alerts.attach',
      // With the name the reference cache stored for the register or cashier (src/lightspeed/refs), if any.
      text: `SELECT a.merchant_id, a.dimension, a.id, sum(a.sales)::int AS sales, sum(a.with_customer)::int AS with_customer,
                    (SELECT r.data->>'name' FROM lightspeed_refs r WHERE r.merchant_id = a.merchant_id AND r.kind = a.dimension AND r.ref_id = a.id) AS name
               FROM insight_attach a JOIN merchants m ON m.id = a.merchant_id
              WHERE a.merchant_id = ANY($1::text[]) AND a.dimension IN ('register', 'cashier')
                AND a.day >= ((($2::timestamptz) AT TIME ZONE m.timezone)::date - 7)
              GROUP BY 1, 2, 3`,
      values: [merchantIds, now],
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
    failingDisabledEndpoints(db, merchantIds),
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
        disabledEndpoints: [],
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
  for (const r of attach.rows)
    out.get(r.merchant_id)?.figures.attach.push({ dimension: r.dimension, id: r.id, name: r.name, sales: r.sales, withCustomer: r.with_customer });
  for (const e of endpoints)
    out
      .get(e.merchantId)
      ?.figures.disabledEndpoints.push({ id: e.id, url: e.url, description: e.description, disabledAt: e.disabledAt, failingSince: e.failingSince });
  for (const r of intake.rows) if (out.has(r.merchant_id)) out.get(r.merchant_id)!.figures.intake = { webhook: r.webhook, poll: r.poll };
  for (const r of failed.rows) if (out.has(r.merchant_id)) out.get(r.merchant_id)!.figures.ops.failedEvents = r.n;
  for (const r of rules.rows)
    out.get(r.merchant_id)?.figures.rulesChanges.push({ version: r.version, createdAt: r.created_at.toISOString(), createdBy: r.created_by });
  return out;
}
