import type { AppContext } from '../src/context.js';
import { releaseDue } from '../src/ledger/release.js';
import { merchantsWithDueEntries } from '../src/ledger/store/release.js';

// The inbox sweep lives in src/ because an admin route (a merchant resumed) runs it too.
export { sweepInbox } from '../src/inbox/sweepInbox.js';

/** Anything due that no release job woke up for (Redis lost it, or it fired before a late entry). */
export async function sweepReleases(ctx: Pick<AppContext, 'pool'>, now = new Date()): Promise<number> {
  let released = 0;
  for (const merchantId of await merchantsWithDueEntries(ctx.pool, now)) released += await releaseDue(ctx.pool, merchantId, now);
  return released;
}
