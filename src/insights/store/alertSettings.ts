import type { Db } from '../../db/pool.js';
import { thresholdsSchema, type Thresholds } from '../alerts/thresholds.js';

/** The merchant's alert thresholds, defaults filled in. */
export async function alertSettings(db: Db, merchantId: string): Promise<Thresholds> {
  const { rows } = await db.query<{ settings: unknown }>(`SELECT settings FROM insight_alert_settings WHERE merchant_id = $1`, [merchantId]);
  return thresholdsSchema.parse(rows[0]?.settings ?? {});
}

/** Stores the thresholds (whole, defaults filled in) and returns them. */
export async function saveAlertSettings(db: Db, merchantId: string, settings: Thresholds): Promise<Thresholds> {
  await db.query(
    `INSERT INTO insight_alert_settings (merchant_id, settings) VALUES ($1, $2)
     ON CONFLICT (merchant_id) DO UPDATE SET settings = excluded.settings, updated_at = now()`,
    [merchantId, JSON.stringify(settings)],
  );
  return settings;
}
