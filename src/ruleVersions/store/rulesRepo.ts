import type { Db } from '../../db/pool.js';
import { defaultRules, rulesSchema, type Rules, type RulesDocument } from '../../rules/rules.js';

/** The merchant's current rules; version 0 (defaults) when none were ever saved. */
export async function currentRules(db: Db, merchantId: string): Promise<Rules> {
  return (await currentRulesOf(db, [merchantId])).get(merchantId)!;
}

/**
 * The current rules of several merchants in one round trip (the sales worker reads them once per
 * batch), parsed here and nowhere else; version 0 (defaults) for a merchant that never saved any.
 */
export async function currentRulesOf(db: Db, merchantIds: string[]): Promise<Map<string, Rules>> {
  const ids = [...new Set(merchantIds)];
  const { rows } = await db.query<{ merchant_id: string; version: number; document: unknown }>({
    name: 'rules.currentRulesOf',
    text: `SELECT m.id AS merchant_id, r.version, r.document FROM unnest($1::text[]) AS m (id)
             CROSS JOIN LATERAL (SELECT version, document FROM rules_versions WHERE merchant_id = m.id ORDER BY version DESC LIMIT 1) r`,
    values: [ids],
  });
  const found = new Map(rows.map((r) => [r.merchant_id, { ...rulesSchema.parse(r.document), version: r.version } as Rules]));
  return new Map(ids.map((id) => [id, found.get(id) ?? defaultRules(0)]));
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

export interface RulesVersionRow {
  version: number;
  document: unknown;
  createdBy: string;
  createdAt: Date;
}

/** The newest versions first, `limit` of them (the history page reads one more to diff the oldest it shows). */
export async function listRulesVersions(db: Db, merchantId: string, limit: number): Promise<RulesVersionRow[]> {
  const { rows } = await db.query<RulesVersionRow>(
    `SELECT version, document, created_by AS "createdBy", created_at AS "createdAt" FROM rules_versions WHERE merchant_id = $1 ORDER BY version DESC LIMIT $2`,
    [merchantId, limit],
  );
  return rows;
}
