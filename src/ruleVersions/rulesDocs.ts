import type { RouteDoc } from '../routeDoc.js';
import { referenceAnswerSchema, rulesAnswerSchema, rulesPreviewSchema, rulesVersionsAnswerSchema } from '../contract/rules.js';
import { previewRequestSchema } from './rulesRoutes.js';
import { rulesSchema } from '../rules/rules.js';

/**
 * The rules document as the API takes it (PUT .../rules). Units: `stepAmount` in minor units (100 = $1.00),
 * multipliers with at most two decimals (1.5 = 150 %), tenders by kind, `delayDays` whole days.
 */
export const RULES_DESCRIPTION = `Every field has a default, so \`{}\` is valid; each PUT stores a new version.

- \`earn\`: \`pointsPerStep\` points per \`stepAmount\` **minor units** of eligible net (100 = $1.00), \`rounding\` down or up.
- \`customerSegments.excluded\`: customer group ids (X-Series) or customer type ids (R-Series) that earn nothing;
  \`customerSegments.multipliers\`: per segment, a factor with at most two decimals (\`1.5\` = 150 %).
- \`exemptions\`: \`productIds\` and \`categoryIds\` whose lines earn nothing (a category exempts its subcategories).
- \`tenders.excluded\`: payment kinds that do not earn (default gift cards, store credit, loyalty): the share of
  the payment they made (excluded ÷ total paid) is taken off the eligible pre-tax amount.
- \`autoRewards\`: \`enabled\` (off: a sale earns once the POS button or the rewards API is used for it) and
  \`startDate\` (YYYY-MM-DD in the merchant's time zone).
- \`delayDays\`: points are pending this many calendar days after the sale in the merchant's time zone (same
  local time of day), then available.
- \`requireIdentity\`: a customer without email or phone earns nothing.
- \`respectLightspeedLoyalty\` (default false): "respect Lightspeed's loyalty switch": a customer whose X-Series
  \`enable_loyalty\` is false earns nothing. Off, that switch (Lightspeed's own program) does not stop earning.

One example per seed cause (ids as in the fake Lightspeed's pet store):

- customer type excluded: \`{"customerSegments": {"excluded": ["3"]}}\` (R-Series "Wholesale")
- category exempt: \`{"exemptions": {"categoryIds": ["15"]}}\` (Dog / Food / Prescription)
- autorewards off until the button: \`{"autoRewards": {"enabled": false}}\`
- rewarded after N days: \`{"delayDays": 30}\``;

/** A merchant's rules: versions, history, preview and the names the form shows: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const rulesDocs: Record<string, RouteDoc> = {
  'GET /admin/api/merchants/:id/rules': { summary: 'The current rules', response: rulesAnswerSchema, caller: 'staff', description: RULES_DESCRIPTION },
  'PUT /admin/api/merchants/:id/rules': {
    summary: 'Store a new rules version',
    response: rulesAnswerSchema,
    caller: 'staff',
    roles: ['admin'],
    body: rulesSchema,
    description: RULES_DESCRIPTION,
    ok: { status: 201, description: 'the stored rules with their version' },
  },
  'GET /admin/api/merchants/:id/rules/versions': {
    summary: 'Rules version history with who and a named diff',
    response: rulesVersionsAnswerSchema,
    caller: 'staff',
  },
  'POST /admin/api/merchants/:id/rules/preview': {
    summary: 'What a draft of the rules would have done over the last days of stored sales',
    response: rulesPreviewSchema,
    caller: 'staff',
    body: previewRequestSchema,
  },
  'GET /admin/api/merchants/:id/reference': {
    summary: 'Names of customer segments, categories and products (for the rules form)',
    response: referenceAnswerSchema,
    caller: 'staff',
  },
};
