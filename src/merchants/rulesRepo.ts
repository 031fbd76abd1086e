import type { Db } from '../db/pool.js';
import { defaultRules, rulesSchema, type Rules, type RulesDocument } from '../rules/rules.js';

/** The merchant's current rules; version 0 (defaults) when none were ever saved. */
export async function currentRules(db: Db, merchantId: string): Promise<Rules> {
  const { rows } = await db.query<{ version: number; document: unknown }>(
    `SELECT version, document FROM rules_versions WHERE merchant_id = $1 ORDER BY version DESC LIMIT 1`,
    [merchantId],
  );
  const row = rows[0];
  return row ? { ...rulesSchema.parse(row.document), version: row.version } : defaultRules(0);
}

/** Saves a new version (the next number); concurrent saves cannot take the same number (primary key). */
export async function saveRules(db: Db, merchantId: string, document: RulesDocument, createdBy: string): Promise<Rules> {
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO rules_versions (merchant_id, version, document, created_by)
     SELECT $1, COALESCE(max(version), 0) + 1, $2, $3 FROM rules_versions WHERE merchant_id = $1
     RETURNING version`,
    [merchantId, JSON.stringify(document), createdBy],
  );
  return { ...document, version: rows[0]!.version };
}
