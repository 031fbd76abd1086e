import type { Actor } from '../access/authenticate.js';
import { writeAudit } from '../access/audit.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { Rules, RulesDocument } from '../rules/rules.js';
import { currentRules, saveRules } from './store/rulesRepo.js';

/** A new rules version and its audit line (with the version it replaces), in one transaction. */
export async function saveRulesVersion(pool: Pool, actor: Actor, merchantId: string, document: RulesDocument): Promise<Rules> {
  return withTransaction(pool, async (db) => {
    const before = await currentRules(db, merchantId);
    const after = await saveRules(db, merchantId, document, actor.name);
    await writeAudit(db, { actor, merchantId, action: 'rules.update', entity: 'rules', entityId: String(after.version), before, after });
    return after;
  });
}
