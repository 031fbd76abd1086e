// The frequent-buyer answers are the contract's (src/contract/frequentBuyer.ts), which the console compiles against.
export type {
  BatchSummaryView,
  ClaimEventView,
  ClaimView,
  ClaimWithHistory,
  DistributorEnrollmentView,
  DistributorRequestView,
  DistributorView,
  HoldingView,
  LocationView,
  OfferView,
  PunchCardView,
} from '../contract/frequentBuyer.js';
