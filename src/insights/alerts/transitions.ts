import { writeAudit } from '../../access/audit.js';
import { systemActor, type Actor } from '../../access/authenticate.js';
import type { Db } from '../../db/pool.js';
import { emitAlertEvents } from '../../events/store/alertEvents.js';
import type { Condition } from './detect.js';

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

/** One change of an alert's status. */
export interface AlertTransition {
  alert: AlertRow;
  from: AlertRow['status'] | null;
  to: AlertRow['status'];
  actor: Actor;
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
export { COLUMNS as ALERT_COLUMNS, type Raw as AlertRaw };

/**
 * Every alert status change goes through here, in the transaction that made it: the audit log now
 * and the outbox (alert.opened, alert.resolved: src/events/store/alertEvents.ts).
 */
export async function recordAlertTransitions(db: Db, transitions: AlertTransition[]): Promise<void> {
  for (const t of transitions) {
    await writeAudit(db, {
      actor: t.actor,
      merchantId: t.alert.merchantId,
      action: `alert.${t.to === 'open' ? 'opened' : t.to}`,
      entity: 'insight_alert',
      entityId: String(t.alert.id),
      before: t.from === null ? undefined : { status: t.from },
      after: { status: t.to, kind: t.alert.kind, subject: t.alert.subject, evidence: t.alert.evidence },
    });
  }
  await emitAlertEvents(db, transitions);
}

/**
 * A detector pass's outcome for the merchants it examined: opens an alert for each condition without an
 * unresolved one (once per condition: the partial unique index), refreshes the evidence of those still
 * holding, and resolves the unresolved alerts whose condition no longer holds. A condition a person
 * resolved less than a day ago does not reopen at once. One transaction; returns the transitions.
 */
export async function applyDetectorResult(db: Db, examined: string[], conditions: Array<Condition & { merchantId: string }>): Promise<AlertTransition[]> {
  if (!examined.length) return [];
  const input = JSON.stringify(conditions.map((c) => ({ merchant_id: c.merchantId, kind: c.kind, subject: c.subject, evidence: c.evidence })));
  const opened = await db.query<Raw & { inserted: boolean }>({
    name: 'insights.alerts.open',
    text: `INSERT INTO insight_alerts AS a (merchant_id, kind, subject, evidence)
           SELECT c.merchant_id, c.kind, c.subject, c.evidence FROM jsonb_to_recordset($1::jsonb) AS c (merchant_id text, kind text, subject text, evidence jsonb)
            WHERE NOT EXISTS (SELECT 1 FROM insight_alerts r WHERE r.merchant_id = c.merchant_id AND r.kind = c.kind AND r.subject = c.subject
                                AND r.status = 'resolved' AND r.resolved_by <> 'system' AND r.resolved_at > now() - interval '1 day')
            ORDER BY 1, 2, 3
           ON CONFLICT (merchant_id, kind, subject) WHERE status <> 'resolved' DO UPDATE SET evidence = excluded.evidence
           RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    values: [input],
  });
  const resolved = await db.query<Raw>({
    name: 'insights.alerts.resolve',
    text: `UPDATE insight_alerts a SET status = 'resolved', resolved_by = 'system', resolved_at = now()
            WHERE a.merchant_id = ANY($2::text[]) AND a.status <> 'resolved'
              AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS c (merchant_id text, kind text, subject text)
                               WHERE c.merchant_id = a.merchant_id AND c.kind = a.kind AND c.subject = a.subject)
           RETURNING ${COLUMNS.replace('status,', `'resolved'::text AS status,`)}, (SELECT status FROM insight_alerts o WHERE o.id = a.id) AS previous`,
    values: [input, examined],
  });
  const transitions: AlertTransition[] = [
    ...opened.rows.filter((r) => r.inserted).map((r) => ({ alert: alertOf(r), from: null, to: 'open' as const, actor: systemActor })),
    ...resolved.rows.map((r) => ({
      alert: alertOf(r),
      from: (r as Raw & { previous: AlertRow['status'] }).previous,
      to: 'resolved' as const,
      actor: systemActor,
    })),
  ];
  await recordAlertTransitions(db, transitions);
  return transitions;
}

/** A person acknowledges or resolves an alert of the merchant; null when there is no such alert in a state that allows it. */
export async function changeAlert(db: Db, merchantId: string, alertId: number, to: 'acknowledged' | 'resolved', actor: Actor): Promise<AlertRow | null> {
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
    [alertId, merchantId, to, actor.name],
  );
  const row = rows[0];
  if (!row) return null;
  const alert = alertOf(row);
  await recordAlertTransitions(db, [{ alert, from: row.previous, to, actor }]);
  return alert;
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
