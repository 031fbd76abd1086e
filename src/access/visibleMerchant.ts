import type { Request } from 'express';
import type { Db } from '../db/pool.js';
import { actorOf, assertMerchantVisible } from './authenticate.js';
import { notFound } from '../http/errors.js';
import { param } from '../http/validate.js';
import { getMerchant } from '../merchants/store/repo.js';
import type { Merchant } from '../merchants/store/schema.js';

/** The `:id` merchant of an admin route: 404 when unknown or when a scoped token may not see it. */
export async function visibleMerchant(db: Db, req: Request): Promise<Merchant> {
  const id = param(req, 'id');
  assertMerchantVisible(actorOf(req), id);
  const merchant = await getMerchant(db, id);
  if (!merchant) throw notFound(`merchant '${id}'`);
  return merchant;
}
