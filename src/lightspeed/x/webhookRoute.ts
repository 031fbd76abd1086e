import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import typeis from 'type-is';
import type { AppContext } from '../../context.js';
import { sendError, sendJson, type HotHandler } from '../../http/app.js';
import { AppError, badRequest, notFound } from '../../http/errors.js';
import { hotRequestLog, type HotRequest } from '../../http/hotRequestLog.js';
import { rawBodyReader } from '../../http/rawBody.js';
import { param } from '../../http/validate.js';
import { inboxGroupInsert } from '../../inbox/groupInsert.js';
import { MerchantCache } from '../../merchants/store/cache.js';
import type { Merchant } from '../../merchants/store/schema.js';
import { LightspeedClient } from '../client.js';
import { jsonDepth, MAX_PAYLOAD_DEPTH } from './jsonDepth.js';
import { MerchantOutlets } from './merchantOutlets.js';
import { checkXRegisterSale, type XSaleEnvelope } from './saleCheck.js';
import { xRegisterSaleSchema } from './sale10.js';
import { tokenHashEqual } from '../../secrets/keyring.js';
import { SignatureError, verifyXSignature, type SignatureVariant } from './verify.js';

export const WEBHOOK_BODY_LIMIT = 256 * 1024;

type Outcome = 'accepted' | 'duplicate' | 'unauthorized' | 'invalid' | 'ignored' | 'unknown_merchant' | 'unavailable';

/**
 * Postgres being away must make Lightspeed retry (503), never drop the delivery; a delivery PostgreSQL
 * refuses as sent is the sender's (400: retrying the same bytes cannot help). Neither answer carries the
 * database's text.
 */
async function storage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (/^(22|54)/.test(String((error as { code?: unknown }).code ?? '')))
      throw new AppError(400, 'UNSTORABLE_PAYLOAD', 'the delivery cannot be stored as sent (a value PostgreSQL refuses)');
    throw new AppError(503, 'STORAGE_UNAVAILABLE', 'cannot store the delivery now; retry later');
  }
}

/** A form body, as Express's `req.is` reads it (type-is: a body must be there, with that media type). */
function requireForm(req: IncomingMessage): void {
  if (!typeis(req, ['application/x-www-form-urlencoded']))
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `expected application/x-www-form-urlencoded, got ${req.headers['content-type'] ?? 'no content type'}`);
}

/**
 * The merchant's path segment (still encoded) and the query of `/webhooks/lightspeed/x/<merchantId>[/][?query]`
 * (`rest` is what follows the mount path), or null for any other path (Express's 404 answers it).
 */
function deliveryAddress(rest: string): { segment: string; query: string } | null {
  const q = rest.indexOf('?');
  let segment = q < 0 ? rest : rest.slice(0, q);
  if (segment.endsWith('/')) segment = segment.slice(0, -1);
  if (segment === '' || segment.includes('/')) return null;
  return { segment, query: q < 0 ? '' : rest.slice(q + 1) };
}

/** The path's merchant id, percent-decoded (400 when it cannot be, as Express answered), checked by `param`. */
function merchantIdOf(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw badRequest("Failed to decode param 'merchantId'");
  }
  return param({ params: { merchantId: decoded } }, 'merchantId');
}

/** The URL's `?token=`, read by node:querystring as Express read it (given twice, it is no token). */
function urlTokenOf(query: string): string {
  if (query === '') return '';
  const token = parseQuery(query).token;
  return typeof token === 'string' ? token : '';
}

/** A signed delivery at a merchant with a URL token that lacks it (or carries another merchant's). */
class UrlTokenError extends Error {
  override name = 'UrlTokenError';
}

const urlTokenMatches = (token: string, merchant: Merchant): boolean =>
  merchant.urlTokenHash !== null && token !== '' && tokenHashEqual(token, merchant.urlTokenHash);

/**
 * The signature proves the delivery came from our Lightspeed app, not which store it is for: every store
 * of the app shares its client secret. The URL token does: the connect flow registers each merchant's
 * webhook with its own unguessable `?token=` and sets `signedNeedsUrlToken`, so a signed delivery captured
 * at store A and posted to B's URL lacks B's token. A merchant without it (connected before, or set up by
 * hand with a tokenless signed webhook) is bound only by the domain-prefix check below, until it is
 * reconnected or an admin sets it.
 */
function authenticateDelivery(
  req: IncomingMessage,
  token: string,
  merchant: Merchant,
  rawBody: Buffer,
  payload: string | null,
): SignatureVariant | 'url-token' {
  const given = req.headers['x-signature'];
  const header = Array.isArray(given) ? given.join(', ') : given;
  if (!header && merchant.allowUnsigned) {
    if (urlTokenMatches(token, merchant)) return 'url-token';
    throw new SignatureError('unsigned delivery without a valid ?token=');
  }
  if (!merchant.webhookSecret) throw new SignatureError('the merchant has no webhook secret configured');
  const variant = verifyXSignature({ secret: merchant.webhookSecret, header, rawBody, payload });
  if (merchant.signedNeedsUrlToken && !urlTokenMatches(token, merchant)) throw new UrlTokenError("signed delivery without this merchant's ?token=");
  return variant;
}

/**
 * The store a delivery says it is for: the form's `domain_prefix`, or the same field inside the payload.
 * Lightspeed may send neither (then the URL alone names the merchant).
 */
function deliveryDomainPrefix(form: URLSearchParams): string | null {
  const given = form.get('domain_prefix');
  if (given) return given;
  const match = /"domain_prefix"\s*:\s*"([^"\\]{1,100})"/.exec(form.get('payload') ?? '');
  return match ? match[1]! : null;
}

/** zod's reading of a payload the hand check did not accept: the sale, or the 400 naming the field. */
function envelopeOrRefusal(json: unknown, count: (outcome: Outcome) => void): XSaleEnvelope {
  const sale = xRegisterSaleSchema.safeParse(json);
  if (sale.success) return sale.data;
  count('invalid');
  const issue = sale.error.issues[0]!;
  throw new AppError(400, 'INVALID_PAYLOAD', `payload.${issue.path.join('.')}: ${issue.message}`);
}

/**
 * X-Series sale.update: verify, store in the inbox (the relay queues it), answer. No Lightspeed call and no
 * rules here: the worker does those. The route table's hot route (`/webhooks/lightspeed/x/<merchantId>`): it
 * runs on Node's own request and answer before Express (src/http/app.ts), with only what it needs: its own
 * request log (a successful delivery writes no line of its own, src/http/hotRequestLog.ts counts them; every
 * refusal is logged), the form check and the raw body, which is what is signed.
 */
export function xWebhookRoute(ctx: AppContext): HotHandler {
  const count = (outcome: Outcome) => ctx.metrics.webhooks.inc({ outcome });
  const merchants = new MerchantCache(ctx.pool, 2_000, ctx.config.CACHE_MAX_MERCHANTS);
  const outlets = new MerchantOutlets(ctx.pool, 60_000, ctx.config.CACHE_MAX_MERCHANTS);
  // Deliveries arriving together share one INSERT and one commit. The commit is the acceptance: the
  // inbox relay (src/inbox/relay.ts, in the worker role) queues the job, off this request's path.
  const inbox = inboxGroupInsert(ctx.pool);
  const requestLog = hotRequestLog(ctx.logger, 'x-webhook');
  const readBody = rawBodyReader(WEBHOOK_BODY_LIMIT);

  async function deliver(req: IncomingMessage, res: ServerResponse, hot: HotRequest, segment: string, query: string): Promise<void> {
    requireForm(req);
    const rawBody = await readBody(req, res);
    const merchantId = merchantIdOf(segment);
    // Only refusals log here (a child logger per request was a share of every webhook's CPU).
    const log = { warn: (facts: object, message: string) => hot.log.warn({ merchantId, ...facts }, message) };

    const merchant = await storage(() => merchants.get(merchantId));
    if (!merchant || merchant.series !== 'x') {
      count('unknown_merchant');
      throw notFound(`X-Series merchant '${merchantId}'`);
    }

    const form = new URLSearchParams(rawBody.toString('utf8'));
    const payloadText = form.get('payload');
    let variant: SignatureVariant | 'url-token';
    try {
      variant = authenticateDelivery(req, urlTokenOf(query), merchant, rawBody, payloadText);
    } catch (error) {
      count('unauthorized');
      if (error instanceof UrlTokenError) {
        log.warn({ reason: error.message }, 'webhook rejected: signed, but not for this merchant (URL token missing or wrong)');
        throw new AppError(401, 'INVALID_URL_TOKEN', error.message);
      }
      log.warn({ reason: (error as Error).message }, 'webhook rejected: signature');
      throw new AppError(401, 'INVALID_SIGNATURE', (error as Error).message);
    }

    // All stores of one Lightspeed app share its client secret, so a valid signature does not say which
    // store a delivery is for: a delivery naming another store's domain prefix is refused, never stored
    // as this merchant's sale (a captured delivery replayed to another merchant's URL).
    const namedPrefix = deliveryDomainPrefix(form);
    if (namedPrefix !== null && merchant.domainPrefix !== null && namedPrefix.toLowerCase() !== merchant.domainPrefix.toLowerCase()) {
      count('unauthorized');
      log.warn({ deliveryDomainPrefix: namedPrefix.slice(0, 64) }, 'webhook rejected: the delivery names another store');
      throw new AppError(403, 'WRONG_MERCHANT', "the delivery is for another store than this URL's merchant");
    }

    const type = form.get('type');
    if (type !== null && type !== 'sale.update') {
      count('ignored');
      hot.log.info({ merchantId, type }, `webhook ignored: event type '${type}' is not handled`);
      sendJson(res, 200, JSON.stringify({ status: 'ignored', reason: `event type '${type}' is not handled` }));
      return;
    }
    if (payloadText === null) {
      count('invalid');
      throw new AppError(400, 'MALFORMED_BODY', 'form field "payload" is missing');
    }
    if (jsonDepth(payloadText) > MAX_PAYLOAD_DEPTH) {
      count('invalid');
      throw new AppError(400, 'MALFORMED_BODY', `payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    }
    let json: unknown;
    try {
      json = JSON.parse(payloadText);
    } catch (error) {
      count('invalid');
      throw new AppError(400, 'MALFORMED_BODY', `payload is not JSON: ${(error as Error).message}`);
    }
    // The hand check answers for a payload it accepts; any other goes to zod, whose 400 names the field.
    const sale = { data: checkXRegisterSale(json) ?? envelopeOrRefusal(json, count) };

    // The signature is shared by every store of the app and the domain prefix is often absent: the sale's
    // outlet (or register) must be one of this merchant's, as Lightspeed lists them, for every merchant.
    let ours: boolean;
    try {
      ours = await outlets.belongs(
        merchant,
        () => new LightspeedClient(merchant, { db: ctx.pool, redis: ctx.redis, config: ctx.config, retries: 0, timeoutMs: 3_000 }),
        {
          outletId: sale.data.outlet_id ?? null,
          registerId: sale.data.register_id ?? null,
        },
      );
    } catch (error) {
      count('unavailable');
      log.warn({ err: (error as Error).message }, "webhook deferred: cannot read the merchant's outlets from Lightspeed");
      throw new AppError(503, 'OUTLETS_UNAVAILABLE', "cannot check the sale's outlet against the merchant's outlets now; retry later");
    }
    if (!ours) {
      count('unauthorized');
      log.warn(
        { outletId: sale.data.outlet_id?.slice(0, 64), registerId: sale.data.register_id?.slice(0, 64) },
        'webhook rejected: the sale is at another store',
      );
      throw new AppError(403, 'WRONG_MERCHANT', "the delivery is for an outlet that is not this URL's merchant's");
    }

    const event = await storage(() =>
      inbox.add({
        merchantId,
        saleId: sale.data.id,
        version: sale.data.version,
        source: 'webhook',
        payload: json,
        // Stored as received: stringifying the parsed payload again was a copy per delivery.
        payloadText,
        signatureVariant: variant,
        receipt: sale.data.invoice_number ?? null,
      }),
    );
    count(event.duplicate ? 'duplicate' : 'accepted');
    hot.facts = { merchantId, saleId: sale.data.id, version: sale.data.version, eventId: event.id, signature: variant, duplicate: event.duplicate };
    sendJson(res, 200, `{"status":"${event.duplicate ? 'duplicate' : 'accepted'}","eventId":${event.id}}`);
  }

  return {
    routes: ['POST /:merchantId'],
    serve: (req, res, rest) => {
      if (req.method !== 'POST') return false;
      const address = deliveryAddress(rest);
      if (!address) return false;
      const hot = requestLog(req, res);
      deliver(req, res, hot, address.segment, address.query).catch((error: unknown) => sendError(res, hot.log, error));
      return true;
    },
  };
}
