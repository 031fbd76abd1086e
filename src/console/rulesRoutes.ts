import { Router } from 'express';
import type { AppContext } from '../context.js';
import { previewRequestSchema } from '../contract/rules.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { parseOr400 } from '../http/validate.js';
import { currentRules } from '../merchants/rulesRepo.js';
import { rulesSchema } from '../rules/rules.js';
import { previewRules } from './preview.js';
import { referenceNames } from './referenceNames.js';
import { rulesDiff } from './rulesDiff.js';

export { previewRequestSchema };

/** What the Rules page reads: version history with diffs, the reference names for the form, the preview. */
export function rulesConsoleRoutes(ctx: AppContext): Router {
  const router = Router();
  const db = ctx.pool;

  router.get('/merchants/:id/rules/versions', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const { rows } = await db.query<{ version: number; document: unknown; createdBy: string; createdAt: Date }>(
      `SELECT version, document, created_by AS "createdBy", created_at AS "createdAt" FROM rules_versions WHERE merchant_id = $1 ORDER BY version DESC LIMIT 101`,
      [merchant.id],
    );
    const versions = rows.slice(0, 100).map((r, i) => {
      const previous = rows[i + 1];
      const document = rulesSchema.parse(r.document);
      // Version 1 is compared with the defaults a merchant starts with.
      return {
        version: r.version,
        createdBy: r.createdBy,
        createdAt: r.createdAt,
        document,
        changes: rulesDiff(rulesSchema.parse(previous?.document ?? {}), document),
      };
    });
    res.json({ versions });
  });

  router.get('/merchants/:id/reference', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const names = await referenceNames(db, merchant.id);
    res.json({
      segments: names.segments,
      categories: names.categoryPaths,
      categoryNames: names.categories,
      categoryParents: names.categoryParents,
      products: names.products,
    });
  });

  // A read (nothing is saved), so any role may preview; POST because the draft is a body.
  router.post('/merchants/:id/rules/preview', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const input = parseOr400(previewRequestSchema, req.body);
    const { version: _ignored, ...body } = input.rules;
    const draft = { ...parseOr400(rulesSchema.strict(), body, 'rules'), version: (await currentRules(db, merchant.id)).version + 1 };
    res.json(await previewRules(db, merchant, draft, await referenceNames(db, merchant.id), input.days));
  });

  return router;
}
