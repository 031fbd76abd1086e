// The outbound events page's answers. Their shapes are still declared beside the events views (not yet as
// zod schemas here); the console imports them only through this file, so the boundary stays one place.
export type { DeliveryView, EndpointView, EndpointWithSecret } from '../events/views.js';
