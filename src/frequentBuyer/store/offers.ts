import type { Db } from '../../db/pool.js';
import type { FreeItemRule } from '../catalog.js';

export interface OfferInput {
  manufacturer: string;
  brand: string;
  name: string;
  purchasesRequired: number;
  freeItemRule: FreeItemRule;
  startsOn: string;
  endsOn?: string;
  products: Array<{ upc?: string; ean?: string; sku?: string }>;
  eligibleDistributorIds: number[];
}

export async function insertOffer(db: Db, o: OfferInput): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO offers (manufacturer, brand, name, purchases_required, free_item_rule, starts_on, ends_on, products, eligible_distributor_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [o.manufacturer, o.brand, o.name, o.purchasesRequired, o.freeItemRule, o.startsOn, o.endsOn ?? null, JSON.stringify(o.products), o.eligibleDistributorIds],
  );
  return rows[0]!.id;
}

/** What a redemption needs of its offer. */
export async function getOfferTerms(db: Db, id: number): Promise<{ id: number; name: string; purchasesRequired: number; freeItemRule: FreeItemRule } | null> {
  const { rows } = await db.query<{ id: number; name: string; purchasesRequired: number; freeItemRule: FreeItemRule }>(
    `SELECT id::int, name, purchases_required AS "purchasesRequired", free_item_rule AS "freeItemRule" FROM offers WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** What an enrollment check needs of its offer: which distributors may serve it. */
export async function getOfferEligibility(db: Db, id: number): Promise<{ name: string; eligibleDistributorIds: number[] } | null> {
  const { rows } = await db.query<{ name: string; eligibleDistributorIds: number[] }>(
    `SELECT name, eligible_distributor_ids::int[] AS "eligibleDistributorIds" FROM offers WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
