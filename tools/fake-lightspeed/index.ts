export { FAULTS, FakeLightspeed, RAccount, XRetailer, type FakeOptions, type FakeStats, type Fault, type Generators } from './FakeLightspeed.js';
export { R, X, rCatalogue, xCatalogue } from './catalogue.js';
export { PosButtonSigner } from './posButton.js';
export { FixedWindow, LeakyBucket, rBucketFor, xWindowFor } from './rateLimits.js';
export { TokenBook } from './tokens.js';
export { toXSale20 } from './xSale20.js';
export { AuthorizationBook } from './authorization.js';
export { WebhookBook, type FakeWebhook } from './webhooks.js';
