import { writeAudit } from '../../access/audit.js';
import type { Actor } from '../../access/authenticate.js';
import { withTransaction, type Pool } from '../../db/pool.js';
import type { AlertRow } from '../store/alerts.js';
import { alertSettings, saveAlertSettings } from '../store/alertSettings.js';
import { markDetectorDue } from '../store/detectorFigures.js';
import type { Thresholds } from './thresholds.js';
import { changeAlert } from './transitions.js';

/** A person acknowledges or resolves an alert: the change, its audit and its outbound event commit together. */
export function changeAlertByPerson(pool: Pool, merchantId: string, alertId: number, to: 'acknowledged' | 'resolved', actor: Actor): Promise<AlertRow | null> {
  return withTransaction(pool, (tx) => changeAlert(tx, merchantId, alertId, to, actor));
}

/** New thresholds, audited; they may open or resolve alerts on figures that did not change, so the next pass looks. */
export function saveThresholds(pool: Pool, merchantId: string, settings: Thresholds, actor: Actor): Promise<Thresholds> {
  return withTransaction(pool, async (tx) => {
    const before = await alertSettings(tx, merchantId);
    const after = await saveAlertSettings(tx, merchantId, settings);
    await markDetectorDue(tx, merchantId);
    await writeAudit(tx, { actor, merchantId, action: 'alert_settings.saved', entity: 'insight_alert_settings', entityId: merchantId, before, after });
    return after;
  });
}
