import type { AppContext } from './context.js';
import type { AppExtras } from './http/app.js';

/** The routes beyond health and the admin API, wired for the running service. */
export function httpExtras(_ctx: AppContext): AppExtras {
  return {};
}
