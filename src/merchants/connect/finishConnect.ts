import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../access/authenticate.js';
import { DomainError } from '../../domainError.js';
import { apiBase } from '../../lightspeed/client.js';
import { LightspeedRequestError, LightspeedUnavailableError } from '../../lightspeed/errors.js';
import { fetchRAccount, exchangeRCode } from '../../lightspeed/r/oauth.js';
import { exchangeXCode } from '../../lightspeed/x/oauth.js';
import { ensureXSaleWebhook } from '../../lightspeed/x/webhooks.js';
import { getMerchant } from '../store/repo.js';
import type { Merchant } from '../store/schema.js';
import { keyring } from '../../secrets/keyring.js';
import { sweepInbox } from '../../inbox/sweepInbox.js';
import { syncPollScheduler } from '../../polling/schedulers.js';
import { enqueueBackfill } from '../../queue/enqueue.js';
import { assertConnectable, saveConnection } from './completeConnect.js';
import { parseDomainPrefix } from './domainPrefix.js';
import { checkState } from './state.js';
import { xConnectBase } from './apiBases.js';
import { takePendingConnect, type PendingConnect } from './store.js';

export interface CallbackInput {
  state: string;
  code?: string | undefined;
  domain_prefix?: string | undefined;
  error?: string | undefined;
  sessionId: string | undefined;
  sessionUserId: number | undefined;
  actor: Actor | null;
}

export interface ConnectSettings {
  publicUrl: string;
  clientId: string;
  clientSecret: string;
}

const REFUSALS = {
  STATE_EXPIRED: ['invalid', 'the connection attempt expired (10 minutes); start again from the console'],
  STATE_FOREIGN: ['forbidden', 'this connection was started by another session; start again from the console'],
  STATE_SERIES: ['invalid', 'this connection was started for the other Lightspeed series'],
} as const;

/**
 * The state, taken (single use: a replay finds nothing), then checked: in time, same session, same person
 * (still an admin allowed to connect this merchant). Any refusal happens before a code is exchanged.
 */
async function takeState(ctx: Pick<AppContext, 'pool'>, series: 'x' | 'r', input: CallbackInput): Promise<{ pending: PendingConnect; actor: Actor }> {
  const pending = await takePendingConnect(ctx.pool, keyring(), input.state);
  if (!pending) throw new DomainError('invalid', 'STATE_UNKNOWN', 'unknown or already used connection state; start again from the console');
  const refusal = checkState(pending, { sessionId: input.sessionId, series, now: new Date() });
  if (refusal) throw new DomainError(REFUSALS[refusal][0], refusal, REFUSALS[refusal][1]);
  const actor = input.actor;
  if (!actor || input.sessionUserId !== pending.staffUserId) throw new DomainError('forbidden', 'STATE_FOREIGN', REFUSALS.STATE_FOREIGN[1]);
  if (actor.role !== 'admin' || (actor.merchantId !== null && actor.merchantId !== pending.merchantId))
    throw new DomainError('forbidden', 'FORBIDDEN', 'you may no longer connect this merchant');
  if (input.error) throw new DomainError('invalid', 'CONNECT_DENIED', `Lightspeed did not authorize the app (${input.error})`);
  if (!input.code) throw new DomainError('invalid', 'INVALID_REQUEST', 'query.code: required');
  return { pending, actor };
}

/** Lightspeed's refusals of a code are the person's to retry; its outages are not their input. */
async function lightspeed<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LightspeedRequestError && what === 'token')
      throw new DomainError('invalid', 'CODE_REFUSED', 'Lightspeed refused the authorization code (used, expired or not ours); connect again');
    if (error instanceof LightspeedRequestError)
      throw new DomainError('upstream', 'LIGHTSPEED_REFUSED', `Lightspeed refused the ${what} call (${error.status}); check the app's scopes`);
    if (error instanceof LightspeedUnavailableError)
      throw new DomainError('upstream', 'LIGHTSPEED_UNAVAILABLE', `Lightspeed is unavailable (${what}); try again`);
    throw error;
  }
}

/** After the connection is saved: the first backfill for a new merchant, polling, and what waited. */
async function afterConnect(ctx: AppContext, merchant: Merchant, created: boolean): Promise<void> {
  const merchantId = merchant.id;
  const days = ctx.config.CONNECT_BACKFILL_DAYS;
  if (created && days > 0) {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    await enqueueBackfill(ctx.queues, { merchantId, from: from.toISOString(), to: to.toISOString() });
  }
  // The same scheduler, at the same spread offset, as a merchant created or changed through the API.
  await syncPollScheduler(ctx, merchant);
  if (!created) await sweepInbox(ctx, 0);
}

export async function finishXConnect(ctx: AppContext, settings: ConnectSettings, input: CallbackInput): Promise<{ merchantId: string }> {
  const { pending, actor } = await takeState(ctx, 'x', input);
  const domainPrefix = parseDomainPrefix(input.domain_prefix);
  if (!domainPrefix) throw new DomainError('invalid', 'INVALID_DOMAIN_PREFIX', 'query.domain_prefix: letters, digits and inner hyphens only');
  const merchantId = pending.merchantId ?? domainPrefix;
  const existing = await assertConnectable(ctx, { merchantId, series: 'x', domainPrefix });
  const tokens = await lightspeed('token', () =>
    exchangeXCode(ctx.config, {
      domainPrefix,
      code: input.code!,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      redirectUri: `${settings.publicUrl.replace(/\/+$/, '')}/connect/lightspeed/x/callback`,
    }),
  );
  if (tokens.domainPrefix !== null && parseDomainPrefix(tokens.domainPrefix) !== domainPrefix)
    throw new DomainError('invalid', 'DOMAIN_PREFIX_MISMATCH', 'the token is for another store than the callback named');
  const base = existing ? apiBase(existing, ctx.config) : xConnectBase(ctx.config, domainPrefix);
  // The URL token binds deliveries to this merchant (the app's signature does not: every store shares it).
  // A reconnect keeps the merchant's token, so a webhook registered with it stays valid.
  const urlToken = existing?.urlToken ?? randomBytes(24).toString('base64url');
  const webhookPath = `${settings.publicUrl.replace(/\/+$/, '')}/webhooks/lightspeed/x/${encodeURIComponent(merchantId)}`;
  const webhookUrl = `${webhookPath}?token=${encodeURIComponent(urlToken)}`;
  const superseded = (url: string) => url === webhookPath || url.startsWith(`${webhookPath}?`);
  const webhook = await lightspeed('webhook registration', () => ensureXSaleWebhook(base, tokens.accessToken, webhookUrl, superseded));
  const { created, merchant } = await saveConnection(ctx, actor, {
    series: 'x',
    merchantId,
    domainPrefix,
    name: pending.merchantName ?? existing?.name ?? domainPrefix,
    timezone: pending.timezone ?? existing?.timezone ?? 'UTC',
    tokens,
    webhookId: webhook.id,
    // Webhooks an OAuth app registers are signed with its client secret.
    webhookSecret: settings.clientSecret,
    urlToken,
  });
  await afterConnect(ctx, merchant, created);
  ctx.logger.info({ merchantId, series: 'x', created, webhookCreated: webhook.created }, 'store connected');
  return { merchantId };
}

export async function finishRConnect(ctx: AppContext, settings: ConnectSettings, input: CallbackInput): Promise<{ merchantId: string }> {
  const { pending, actor } = await takeState(ctx, 'r', input);
  if (!pending.codeVerifier) throw new DomainError('invalid', 'STATE_SERIES', REFUSALS.STATE_SERIES[1]);
  // The code lives 60 s: exchanged before anything else is asked of Lightspeed.
  const tokens = await lightspeed('token', () =>
    exchangeRCode(ctx.config, {
      code: input.code!,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      redirectUri: `${settings.publicUrl.replace(/\/+$/, '')}/connect/lightspeed/r/callback`,
      codeVerifier: pending.codeVerifier!,
    }),
  );
  // A merchant being reconnected keeps its API base (checked against the allow-list by apiBase()).
  const known = pending.merchantId ? await getMerchant(ctx.pool, pending.merchantId) : null;
  const root =
    known?.series === 'r' && known.apiBaseUrl
      ? apiBase(known, ctx.config).replace(/\/API\/V3\/Account\/.*$/, '')
      : (ctx.config.R_CONNECT_API_BASE ?? 'https://api.lightspeedapp.com');
  const account = await lightspeed('Account.json', () => fetchRAccount(root.replace(/\/+$/, ''), tokens.accessToken));
  const merchantId = pending.merchantId ?? `r-${account.accountId}`;
  const existing = await assertConnectable(ctx, { merchantId, series: 'r', accountId: account.accountId });
  const { created, merchant } = await saveConnection(ctx, actor, {
    series: 'r',
    merchantId,
    accountId: account.accountId,
    name: pending.merchantName ?? existing?.name ?? account.name ?? merchantId,
    timezone: pending.timezone ?? existing?.timezone ?? 'UTC',
    tokens,
    webhookId: null,
  });
  await afterConnect(ctx, merchant, created);
  ctx.logger.info({ merchantId, series: 'r', created }, 'store connected');
  return { merchantId };
}
