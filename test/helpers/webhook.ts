import { createHmac } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { SignatureVariant } from '../../src/lightspeed/x/verify.js';

export function formBody(payload: unknown, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...extra, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }).toString();
}

export function sign(secret: string, body: string, variant: SignatureVariant = 'body-hex'): string {
  const data = variant.startsWith('body') ? body : new URLSearchParams(body).get('payload')!;
  const mac = createHmac('sha256', secret).update(data);
  return `signature=${variant.endsWith('hex') ? mac.digest('hex') : mac.digest('base64')},algorithm=HMAC-SHA256`;
}

/** Posts a signed X-Series sale.update the way Lightspeed does. */
export function deliver(
  app: Express,
  merchantId: string,
  payload: unknown,
  opts: { secret?: string; variant?: SignatureVariant; body?: string; token?: string } = {},
) {
  const body = opts.body ?? formBody(payload);
  const query = opts.token === undefined ? '' : `?token=${encodeURIComponent(opts.token)}`;
  const req = request(app).post(`/webhooks/lightspeed/x/${merchantId}${query}`).set('Content-Type', 'application/x-www-form-urlencoded');
  if (opts.secret) req.set('X-Signature', sign(opts.secret, body, opts.variant));
  return req.send(body);
}
