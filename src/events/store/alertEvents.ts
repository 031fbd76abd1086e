import type { Db } from '../../db/pool.js';

/**
 * What src/insights/alerts/transitions.ts hands over for every alert status change (its AlertTransition
 * fits this shape): a store of its own, so that insights writes its events without importing the events
 * module.
 */
export interface AlertChange {
  alert: {
    id: number;
    merchantId: string;
    kind: string;
    subject: string;
    evidence: Record<string, unknown>;
    openedAt: string;
    resolvedAt: string | null;
    resolvedBy: string | null;
  };
  to: 'open' | 'acknowledged' | 'resolved';
}

/**
 * alert.opened / alert.resolved into the outbox, in the caller's transaction (the one that moved the
 * alert): one statement for all of them. An acknowledgement sends nothing. `source` (alert:<id>:<to>) is
 * unique, so a transition recorded twice writes one event. Who resolved it is said as system or staff:
 * a person's name never leaves the service.
 */
export async function emitAlertEvents(db: Db, changes: AlertChange[]): Promise<void> {
  const rows = changes
    .filter((c) => c.to !== 'acknowledged')
    .map((c) => ({
      merchant_id: c.alert.merchantId,
      type: c.to === 'open' ? 'alert.opened' : 'alert.resolved',
      source: `alert:${c.alert.id}:${c.to}`,
      data: {
        alertId: c.alert.id,
        kind: c.alert.kind,
        subject: c.alert.subject,
        evidence: c.alert.evidence,
        openedAt: c.alert.openedAt,
        resolvedAt: c.to === 'resolved' ? c.alert.resolvedAt : null,
        resolvedBy: c.to === 'resolved' ? (c.alert.resolvedBy === 'system' ? 'system' : 'staff') : null,
      },
    }));
  if (!rows.length) return;
  await db.query(
    `SELECT events_emit(r.merchant_id, r.type, r.source, NULL, NULL, r.data)
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (merchant_id text, type text, source text, data jsonb)) WITH ORDINALITY AS r ORDER BY r.ordinality`,
    [JSON.stringify(rows)],
  );
}
