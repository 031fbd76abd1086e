import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { writeAudit } from '../../access/audit.js';
import type { Actor } from '../../access/authenticate.js';
import { DomainError } from '../../domainError.js';
import { retryFailedNow } from '../../inbox/repo.js';
import type { CodeTokens } from '../../lightspeed/oauthTokens.js';
import { getMerchant, insertMerchant, merchantOfStore, updateMerchant } from '../store/repo.js';
import { merchantCreateSchema, publicMerchant, type Merchant } from '../store/schema.js';
import { connectApiBase } from './apiBases.js';
import { getConnection, markConnected } from './store.js';

/** Which Lightspeed store the callback turned out to be, and what was set up in it. */
export interface ConnectedStore {
  series: 'x' | 'r';
  merchantId: string;
  domainPrefix?: string;
  accountId?: string;
  name: string;
  timezone: string;
  tokens: CodeTokens;
  webhookId: string | null;
  /** X-Series: the app's client secret signs the webhooks (stored encrypted as the merchant's secret). */
  webhookSecret?: string;
  /** X-Series: the token in the registered webhook URL that binds its deliveries to this merchant. */
  urlToken?: string;
}

/**
 * Refuses, before any token is exchanged, a callback that would attach a store to the wrong merchant:
 * an existing merchant of the other series or of another store, or a store another merchant already has.
 */
export async function assertConnectable(
  ctx: Pick<AppContext, 'pool'>,
  target: { merchantId: string; series: 'x' | 'r'; domainPrefix?: string; accountId?: string },
): Promise<Merchant | null> {
  const existing = await getMerchant(ctx.pool, target.merchantId);
  if (existing) {
    if (existing.series !== target.series)
      throw new DomainError('conflict', 'WRONG_SERIES', `merchant '${existing.id}' is an ${existing.series.toUpperCase()}-Series merchant`);
    const same = target.series === 'x' ? existing.domainPrefix === target.domainPrefix : existing.accountId === target.accountId;
    const known = target.series === 'x' ? existing.domainPrefix : existing.accountId;
    if (known !== null && !same)
      throw new DomainError(
        'conflict',
        'DIFFERENT_STORE',
        `merchant '${existing.id}' is connected to another Lightspeed store; a platform admin must change it first`,
      );
  }
  const key = target.series === 'x' ? target.domainPrefix : target.accountId;
  if (await merchantOfStore(ctx.pool, { series: target.series, key, exceptId: target.merchantId }))
    throw new DomainError('conflict', 'STORE_ALREADY_CONNECTED', 'this Lightspeed store is already connected to another merchant');
  return existing;
}

/**
 * Creates the merchant or reconnects it, in one transaction: credentials (sealed by the repo), the
 * connection record, the pause a disconnect set lifted (unless a person had paused it before), and the
 * audit line. Returns whether the merchant is new (a new one gets the initial backfill).
 */
export async function saveConnection(
  ctx: Pick<AppContext, 'pool' | 'config'>,
  actor: Actor,
  store: ConnectedStore,
): Promise<{ created: boolean; merchant: Merchant }> {
  const credentials = {
    accessToken: store.tokens.accessToken,
    ...(store.tokens.refreshToken ? { refreshToken: store.tokens.refreshToken } : {}),
    ...(store.tokens.expiresAt ? { expiresAt: store.tokens.expiresAt.toISOString() } : {}),
  };
  return withTransaction(ctx.pool, async (db) => {
    const before = await getMerchant(db, store.merchantId);
    let merchant: Merchant | null;
    if (!before) {
      const input = merchantCreateSchema.parse({
        id: store.merchantId,
        name: store.name,
        series: store.series,
        timezone: store.timezone,
        ...(store.domainPrefix ? { domainPrefix: store.domainPrefix } : {}),
        ...(store.accountId ? { accountId: store.accountId } : {}),
        ...(store.webhookSecret ? { webhookSecret: store.webhookSecret } : {}),
        ...(store.urlToken ? { urlToken: store.urlToken, signedNeedsUrlToken: true } : {}),
        ...connectApiBase(ctx.config, store),
        credentials,
      });
      merchant = await insertMerchant(db, input);
      if (!merchant) throw new DomainError('conflict', 'CONFLICT', `merchant '${store.merchantId}' was created meanwhile; connect again`);
    } else {
      const connection = await getConnection(db, before.id);
      const resume = connection?.status === 'disconnected' ? { paused: connection.pausedBeforeDisconnect } : {};
      merchant = await updateMerchant(db, before.id, {
        credentials,
        ...(store.domainPrefix && !before.domainPrefix ? { domainPrefix: store.domainPrefix } : {}),
        ...(store.accountId && !before.accountId ? { accountId: store.accountId } : {}),
        ...(store.webhookSecret ? { webhookSecret: store.webhookSecret } : {}),
        ...(store.urlToken && store.urlToken !== before.urlToken ? { urlToken: store.urlToken } : {}),
        // The webhook was just registered with the token: from now on a signed delivery needs it.
        ...(store.urlToken ? { signedNeedsUrlToken: true } : {}),
        ...resume,
      });
      // New credentials may be what its failed sales were waiting for.
      await retryFailedNow(db, before.id);
    }
    await markConnected(db, { merchantId: store.merchantId, series: store.series, webhookId: store.webhookId, by: actor.name });
    await writeAudit(db, {
      actor,
      merchantId: store.merchantId,
      action: before ? 'merchant.reconnect' : 'merchant.connect',
      entity: 'merchant',
      entityId: store.merchantId,
      before: before ? publicMerchant(before) : undefined,
      after: { ...publicMerchant(merchant!), webhookId: store.webhookId },
    });
    return { created: !before, merchant: merchant! };
  });
}
