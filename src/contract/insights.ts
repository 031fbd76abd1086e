// The Insights page's answers. Their shapes are still declared beside the insights views (not yet as zod
// schemas here, but for figure 5's, a zod schema in src/insights/withheldAnswer.ts); the console imports
// them only through this file, so the boundary stays one place.
export type { AlertRow } from '../insights/store/alerts.js';
export type { InsightSalesBody, InsightsBody, InsightsOverviewBody } from '../insights/views.js';
export type { WithheldAnswer } from '../insights/withheldAnswer.js';
