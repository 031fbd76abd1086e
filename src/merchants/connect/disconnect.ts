import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { writeAudit } from '../../access/audit.js';
import type { Actor } from '../../access/authenticate.js';
import { apiBase } from '../../lightspeed/client.js';
import { tokenIsFresh, refreshAccessToken } from '../../lightspeed/tokens.js';
import { deleteXWebhook } from '../../lightspeed/x/webhooks.js';
import { forgetCredentials, getMerchant, updateMerchant } from '../store/repo.js';
import type { Merchant } from '../store/schema.js';
import { syncPollScheduler } from '../../polling/schedulers.js';
import { connectionView } from './connectionView.js';
import { getConnection, markDisconnected } from './store.js';

/**
 * Disconnect: our X-Series webhook removed from the store (when its token still works), polling stopped
 * (the merchant is paused, so neither the workers nor the sweeper poll it and deliveries still in flight
 * wait in the inbox), tokens forgotten. The ledger, decisions and the poll cursor stay, so a reconnect
 * resumes from the cursor and the inbox keys keep anything from being credited twice.
 */
export async function disconnectMerchant(ctx: AppContext, actor: Actor, merchant: Merchant) {
  const connection = await getConnection(ctx.pool, merchant.id);
  let webhookRemoved: boolean | null = null;
  if (merchant.series === 'x' && connection?.webhookId && connection.status === 'connected') {
    webhookRemoved = await removeWebhook(ctx, merchant, connection.webhookId);
  }
  const wasPaused = connection?.status === 'disconnected' ? connection.pausedBeforeDisconnect : merchant.paused;
  await withTransaction(ctx.pool, async (db) => {
    await updateMerchant(db, merchant.id, { paused: true });
    await forgetCredentials(db, merchant.id);
    await markDisconnected(db, { merchantId: merchant.id, series: merchant.series, pausedBefore: wasPaused, by: actor.name });
    await writeAudit(db, {
      actor,
      merchantId: merchant.id,
      action: 'merchant.disconnect',
      entity: 'merchant',
      entityId: merchant.id,
      after: { webhookRemoved },
    });
  });
  // Paused now: the one scheduler path (src/polling/schedulers.ts) removes its poll scheduler.
  await syncPollScheduler(ctx, { ...merchant, paused: true });
  ctx.logger.info({ merchantId: merchant.id, webhookRemoved }, 'store disconnected');
  return { ...(await connectionView(ctx, (await getMerchant(ctx.pool, merchant.id))!)), webhookRemoved };
}

/** Best effort: a store whose token no longer works cannot be asked; the disconnect goes on and says so. */
async function removeWebhook(ctx: AppContext, merchant: Merchant, webhookId: string): Promise<boolean> {
  try {
    let current = merchant;
    if (!tokenIsFresh(current))
      current = await refreshAccessToken(
        { db: ctx.pool, redis: ctx.redis, config: ctx.config, prefix: ctx.config.QUEUE_PREFIX },
        merchant.id,
        merchant.accessToken,
      );
    await deleteXWebhook(apiBase(current, ctx.config), current.accessToken!, webhookId);
    return true;
  } catch (error) {
    ctx.logger.warn({ merchantId: merchant.id, err: (error as Error).message }, 'could not remove the webhook while disconnecting');
    return false;
  }
}
