import { writeAudit } from '../../access/audit.js';
import { systemActor, type Actor } from '../../access/authenticate.js';
import type { Db } from '../../db/pool.js';
import { openAlerts, resolveClearedAlerts, setAlertStatus, type AlertRow } from '../store/alerts.js';
import { emitAlertEvents } from '../../events/store/alertEvents.js';
import type { Condition } from './detect.js';

export type { AlertRow } from '../store/alerts.js';

/** One change of an alert's status. */
export interface AlertTransition {
  alert: AlertRow;
  from: AlertRow['status'] | null;
  to: AlertRow['status'];
  actor: Actor;
}

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
 * unresolved one, refreshes the evidence of those still holding, and resolves the unresolved alerts whose
 * condition no longer holds. Call it in one transaction; returns the transitions.
 */
export async function applyDetectorResult(db: Db, examined: string[], conditions: Array<Condition & { merchantId: string }>): Promise<AlertTransition[]> {
  if (!examined.length) return [];
  const opened = await openAlerts(db, conditions);
  const resolved = await resolveClearedAlerts(db, examined, conditions);
  const transitions: AlertTransition[] = [
    ...opened.map((alert) => ({ alert, from: null, to: 'open' as const, actor: systemActor })),
    ...resolved.map(({ alert, previous }) => ({ alert, from: previous, to: 'resolved' as const, actor: systemActor })),
  ];
  await recordAlertTransitions(db, transitions);
  return transitions;
}

/** A person acknowledges or resolves an alert of the merchant; null when there is no such alert in a state that allows it. */
export async function changeAlert(db: Db, merchantId: string, alertId: number, to: 'acknowledged' | 'resolved', actor: Actor): Promise<AlertRow | null> {
  const changed = await setAlertStatus(db, merchantId, alertId, to, actor.name);
  if (!changed) return null;
  await recordAlertTransitions(db, [{ alert: changed.alert, from: changed.previous, to, actor }]);
  return changed.alert;
}
