import type { Db } from '../../db/pool.js';

/** An alert as the API answers it. */
export interface AlertRow {
  id: number;
  merchantId: string;
  kind: string;
  subject: string;
  status: 'open' | 'acknowledged' | 'resolved';
  evidence: Record<string, unknown>;
  openedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

const COLUMNS = `id::int, merchant_id, kind, subject, status, evidence, opened_at, acknowledged_by, acknowledged_at, resolved_by, resolved_at`;
type Raw = {
  id: number;
  merchant_id: string;
  kind: string;
  subject: string;
  status: AlertRow['status'];
  evidence: Record<string, unknown>;
  opened_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  resolved_by: string | null;
  resolved_at: Date | null;
};
export const alertOf = (r: Raw): AlertRow => ({
  id: r.id,
  merchantId: r.merchant_id,
  kind: r.kind,
  subject: r.subject,
  status: r.status,
  evidence: r.evidence,
  openedAt: r.opened_at.toISOString(),
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at?.toISOString() ?? null,
});

/** A detector's condition for one merchant (what `detect` found). */
export interface ConditionRow {
  merchantId: string;
  kind: string;
  subject: string;
  evidence: Record<string, unknown>;
}

const conditionsJson = (conditions: ConditionRow[]) =>
  JSON.stringify(conditions.map((c) => ({ merchant_id: c.merchantId, kind: c.kind, subject: c.subject, evidence: c.evidence })));

/**
 * Opens an alert for each condition without an unresolved one (once per condition: the partial unique
 * index) and refreshes the evidence of those still holding; a condition a person resolved less than a
 * day ago does not reopen at once. Returns the alerts it opened.
 */
export async function openAlerts(db: Db, conditions: ConditionRow[]): Promise<AlertRow[]> {
  if (!conditions.length) return [];
  const { rows } = await db.query<Raw & { inserted: boolean }>({
    name: 'insights.alerts.open',
    text: `INSERT INTO insight_alerts AS a (merchant_id, kind, subject, evidence)
           SELECT c.merchant_id, c.kind, c.subject, c.evidence FROM jsonb_to_recordset($1::jsonb) AS c (merchant_id text, kind text, subject text, evidence jsonb)
            WHERE NOT EXISTS (SELECT 1 FROM insight_alerts r WHERE r.merchant_id = c.merchant_id AND r.kind = c.kind AND r.subject = c.subject
                                AND r.status = 'resolved' AND r.resolved_by <> 'system' AND r.resolved_at > now() - interval '1 day')
            ORDER BY 1, 2, 3
           ON CONFLICT (merchant_id, kind, subject) WHERE status <> 'resolved' DO UPDATE SET evidence = excluded.evidence
           RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    values: [conditionsJson(conditions)],
  });
  return rows.filter((r) => r.inserted).map(alertOf);
}

/** Resolves (by the system) the unresolved alerts of these merchants whose condition is not among `holding`; returns them with their previous status. */
export async function resolveClearedAlerts(
  db: Db,
  merchantIds: string[],
  holding: ConditionRow[],
): Promise<Array<{ alert: AlertRow; previous: AlertRow['status'] }>> {
  const { rows } = await db.query<Raw & { previous: AlertRow['status'] }>({
    name: 'insights.alerts.resolve',
    text: `UPDATE insight_alerts a SET status = 'resolved', resolved_by = 'system', resolved_at = now()
            WHERE a.merchant_id = ANY($2::text[]) AND a.status <> 'resolved'
              AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS c (merchant_id text, kind text, subject text)
                               WHERE c.merchant_id = a.merchant_id AND c.kind = a.kind AND c.subject = a.subject)
           RETURNING ${COLUMNS.replace('status,', `'resolved'::text AS status,`)}, (SELECT status FROM insight_alerts o WHERE o.id = a.id) AS previous`,
    values: [conditionsJson(holding), merchantIds],
  });
  return rows.map((r) => ({ alert: alertOf(r), previous: r.previous }));
}

/** A person's change of one alert of the merchant, if its state allows it; with its previous status. */
export async function setAlertStatus(
  db: Db,
  merchantId: string,
  alertId: number,
  to: 'acknowledged' | 'resolved',
  by: string,
): Promise<{ alert: AlertRow; previous: AlertRow['status'] } | null> {
  const { rows } = await db.query<Raw & { previous: AlertRow['status'] }>(
    `WITH before AS (SELECT id, status FROM insight_alerts WHERE id = $1 AND merchant_id = $2 FOR UPDATE)
     UPDATE insight_alerts a SET status = $3,
            acknowledged_by = CASE WHEN $3 = 'acknowledged' THEN $4 ELSE a.acknowledged_by END,
            acknowledged_at = CASE WHEN $3 = 'acknowledged' THEN now() ELSE a.acknowledged_at END,
            resolved_by = CASE WHEN $3 = 'resolved' THEN $4 ELSE NULL END,
            resolved_at = CASE WHEN $3 = 'resolved' THEN now() ELSE NULL END
       FROM before WHERE a.id = before.id AND (before.status = 'open' OR ($3 = 'resolved' AND before.status = 'acknowledged'))
     RETURNING ${COLUMNS.split(', ')
       .map((c) => (c === 'id::int' ? 'a.id::int' : `a.${c}`))
       .join(', ')}, before.status AS previous`,
    [alertId, merchantId, to, by],
  );
  const row = rows[0];
  return row ? { alert: alertOf(row), previous: row.previous } : null;
}

/** A merchant's alerts, unresolved first, newest first. */
export async function listAlerts(db: Db, merchantId: string, status: 'active' | 'all'): Promise<AlertRow[]> {
  const { rows } = await db.query<Raw>(
    `SELECT ${COLUMNS} FROM insight_alerts WHERE merchant_id = $1 AND ($2 = 'all' OR status <> 'resolved')
      ORDER BY (status = 'resolved'), opened_at DESC LIMIT 200`,
    [merchantId, status],
  );
  return rows.map(alertOf);
}

/** Unresolved alerts per merchant (the Merchants list), within a scope (null: every merchant). */
export async function activeAlertCounts(db: Db, merchantId: string | null): Promise<Array<{ merchantId: string; open: number; acknowledged: number }>> {
  const { rows } = await db.query<{ merchant_id: string; open: number; acknowledged: number }>(
    `SELECT merchant_id, count(*) FILTER (WHERE status = 'open')::int AS open, count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged
       FROM insight_alerts WHERE status <> 'resolved' AND ($1::text IS NULL OR merchant_id = $1) GROUP BY 1 ORDER BY 1`,
    [merchantId],
  );
  return rows.map((r) => ({ merchantId: r.merchant_id, open: r.open, acknowledged: r.acknowledged }));
}
