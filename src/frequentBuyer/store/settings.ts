import type { Db } from '../../db/pool.js';

export interface FrequentBuyerSettings {
  redemptionDiscount: string | null;
}

export async function getSettings(db: Db, merchantId: string): Promise<FrequentBuyerSettings | null> {
  return (
    (
      await db.query<FrequentBuyerSettings>(`SELECT redemption_discount AS "redemptionDiscount" FROM frequent_buyer_settings WHERE merchant_id = $1`, [
        merchantId,
      ])
    ).rows[0] ?? null
  );
}

export async function upsertSettings(db: Db, merchantId: string, settings: FrequentBuyerSettings): Promise<void> {
  await db.query(
    `INSERT INTO frequent_buyer_settings (merchant_id, redemption_discount) VALUES ($1, $2) ON CONFLICT (merchant_id) DO UPDATE SET redemption_discount = excluded.redemption_discount`,
    [merchantId, settings.redemptionDiscount],
  );
}
