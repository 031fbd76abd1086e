// The frequent-buyer answers are the contract's zod schemas (src/contract/frequentBuyer.ts): the store's
// reads are typed by them here, the console compiles against the same types, and the tests parse the
// routes' answers with them (test/integration/frequentBuyer/claims.test.ts, its last test).
export {
  batchSummaryViewSchema,
  claimViewSchema,
  claimWithHistorySchema,
  distributorEnrollmentViewSchema,
  distributorRequestViewSchema,
  distributorViewSchema,
  gridCellSchema,
  holdingViewSchema,
  locationViewSchema,
  offerViewSchema,
  punchCardsAnswerSchema,
} from '../contract/frequentBuyer.js';
export type {
  BatchSummaryView,
  ClaimEventView,
  ClaimView,
  ClaimWithHistory,
  DistributorEnrollmentView,
  DistributorRequestView,
  DistributorView,
  GridCell,
  HoldingView,
  LocationView,
  OfferView,
  PunchCardView,
} from '../contract/frequentBuyer.js';
