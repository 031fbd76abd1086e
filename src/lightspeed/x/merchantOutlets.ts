import { z } from 'zod';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/pool.js';
import type { Merchant } from '../../merchants/store/schema.js';
import type { LightspeedClient } from '../client.js';
import { xPages } from './pager.js';
import { addMerchantOutlets, readMerchantOutlets } from './merchantOutletsRepo.js';

const outletSchema = z.looseObject({ id: z.string() });
const registerSchema = z.looseObject({ id: z.string(), outlet_id: z.string().nullish() });

/** What a delivery says about where the sale was rung up. */
export interface DeliveryPlace {
  outletId: string | null;
  registerId: string | null;
}

interface Known {
  outlets: Set<string>;
  registers: Set<string>;
}

/** The merchant's outlets and registers as Lightspeed lists them (both lists, every page). */
async function fetchPlaces(client: LightspeedClient): Promise<Known> {
  const known: Known = { outlets: new Set(), registers: new Set() };
  for await (const page of xPages(client, '/api/2.0/outlets', outletSchema, { after: 0 })) for (const o of page.data) known.outlets.add(o.id);
  for await (const page of xPages(client, '/api/2.0/registers', registerSchema, { after: 0 })) for (const r of page.data) known.registers.add(r.id);
  return known;
}

/**
 * Which X-Series outlets and registers belong to which merchant: in memory, in PostgreSQL
 * (`merchant_outlets`) so a restart does not refetch, and from Lightspeed when a delivery names one we
 * do not know (a new outlet, or a merchant never read), at most once per `refreshMs` per merchant so a
 * flood of foreign deliveries cannot make us hammer the API. A refused genuine delivery is retried by
 * Lightspeed (20 times over 48 h), so a store's new outlet is accepted at the next refresh.
 */
export class MerchantOutlets {
  private readonly memory: LRUCache<string, Known>;
  private readonly lastRefresh: LRUCache<string, number>;
  private readonly inFlight = new Map<string, Promise<Known>>();

  constructor(
    private readonly db: Db,
    private readonly refreshMs = 60_000,
    maxMerchants = 10_000,
  ) {
    this.memory = new LRUCache({ max: maxMerchants });
    this.lastRefresh = new LRUCache({ max: maxMerchants });
  }

  /**
   * Whether the place a delivery names is this merchant's. A delivery naming neither an outlet nor a
   * register cannot be bound and is let through (Lightspeed's `register_sale` always names both). Throws
   * what the client throws when Lightspeed cannot be asked (the route answers 503: Lightspeed retries).
   */
  async belongs(merchant: Merchant, client: () => LightspeedClient, place: DeliveryPlace): Promise<boolean> {
    if (place.outletId === null && place.registerId === null) return true;
    const matches = (k: Known) => (place.outletId !== null ? k.outlets.has(place.outletId) : k.registers.has(place.registerId!));
    let known = this.memory.get(merchant.id);
    if (!known) {
      const stored = await this.readStored(merchant.id);
      // A refresh may have completed while we read: never replace what it learned with the older rows.
      known = this.memory.get(merchant.id) ?? stored;
      this.memory.set(merchant.id, known);
    }
    if (matches(known)) return true;
    if (Date.now() - (this.lastRefresh.get(merchant.id) ?? 0) < this.refreshMs) return false;
    return matches(await this.refresh(merchant, client));
  }

  private refresh(merchant: Merchant, client: () => LightspeedClient): Promise<Known> {
    let pending = this.inFlight.get(merchant.id);
    if (!pending) {
      pending = (async () => {
        const fetched = await fetchPlaces(client());
        const before = this.memory.get(merchant.id);
        const known = {
          outlets: new Set([...(before?.outlets ?? []), ...fetched.outlets]),
          registers: new Set([...(before?.registers ?? []), ...fetched.registers]),
        };
        // Memory first, then the refresh time: a delivery arriving while the rows are stored must see what
        // was just read (it was refused with 403 when the time said "refreshed" and memory did not yet).
        this.memory.set(merchant.id, known);
        this.lastRefresh.set(merchant.id, Date.now());
        await this.store(merchant.id, fetched);
        return known;
      })().finally(() => this.inFlight.delete(merchant.id));
      this.inFlight.set(merchant.id, pending);
    }
    return pending;
  }

  private async readStored(merchantId: string): Promise<Known> {
    const rows = await readMerchantOutlets(this.db, merchantId);
    return {
      outlets: new Set(rows.filter((r) => r.kind === 'outlet').map((r) => r.refId)),
      registers: new Set(rows.filter((r) => r.kind === 'register').map((r) => r.refId)),
    };
  }

  /** Adds what Lightspeed listed; an outlet it no longer lists is kept (its old sales may still be re-sent). */
  private async store(merchantId: string, known: Known): Promise<void> {
    const rows = [
      ...[...known.outlets].map((refId) => ({ kind: 'outlet' as const, refId })),
      ...[...known.registers].map((refId) => ({ kind: 'register' as const, refId })),
    ];
    await addMerchantOutlets(this.db, merchantId, rows);
  }
}
