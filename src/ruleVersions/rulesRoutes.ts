import { Router } from 'express';
import type { AppContext } from '../context.js';
import { previewRequestSchema } from '../contract/rules.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { actorOf, requireRole } from '../access/authenticate.js';
import { parseOr400 } from '../http/validate.js';
import { currentRules, listRulesVersions } from './store/rulesRepo.js';
import { saveRulesVersion } from './saveRulesVersion.js';
import { rulesSchema } from '../rules/rules.js';
import { previewRules } from './preview.js';
import { referenceNames } from './store/referenceNames.js';
import { rulesDiff } from './rulesDiff.js';

export { previewRequestSchema };

/** A merchant's rules: the current version, a new version, the history with diffs, the reference names for the form, the preview. */
export function rulesRoutes(ctx: AppContext): Router {
  const router = Router();
  const db = ctx.pool;

  router.get('/merchants/:id/rules', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    res.json(await currentRules(db, merchant.id));
  });

  router.put('/merchants/:id/rules', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const { version: _ignored, ...body } = (req.body ?? {}) as Record<string, unknown>;
    const document = parseOr400(rulesSchema.strict(), body, 'rules');
    res.status(201).json(await saveRulesVersion(db, actorOf(req), merchant.id, document));
  });

  router.get('/merchants/:id/rules/versions', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const rows = await listRulesVersions(db, merchant.id, 101);
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
