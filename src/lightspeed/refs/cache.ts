import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/pool.js';
import type { Merchant } from '../../merchants/store/schema.js';
import type { LightspeedClient } from '../client.js';
import { rCategoryListSchema, rCustomerTypeListSchema, rEmployeeListSchema, rRegisterListSchema, rShopListSchema } from '../r/schemas.js';
import { rPages } from '../r/pager.js';
import { xPages } from '../x/pager.js';
import { xCustomerGroupSchema, xNamedSchema, xProductCategorySchema, xProductSchema, xUserSchema } from '../x/schemas.js';
import { markRefListLoaded, readRefLoads, readStoredRefs, upsertRefs, type NameKind, type RefKind } from './store.js';
import { emptyReferenceData, type CategoryRef, type ReferenceData } from './types.js';

type Kind = RefKind;
interface Entry {
  data: ReferenceData;
  loadedAt: number;
  /** When each whole list was last loaded (lightspeed_ref_loads), by kind. */
  loads: Map<string, number>;
}

/**
 * Reference data per merchant: in process memory for speed, in Postgres so a restart does not refetch,
 * from Lightspeed when older than the TTL or when a sale names an id we have never seen (at most once
 * per `missRefreshMs`, so an unknown id cannot make us hammer the API). At most `maxMerchants` in memory.
 */
export class ReferenceCache {
  private readonly memory: LRUCache<string, Entry>;
  private readonly lastMissRefresh: LRUCache<string, number>;
  /** Jobs running side by side that need the same unknown product share one request. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly missRefreshMs = 60_000,
    maxMerchants = 2_000,
    /**
     * Cashier, register and outlet lists: reloaded when a sale names one we do not know, at most once per
     * this long per merchant and list (across processes: the last load is stored), or when older than the TTL.
     */
    private readonly nameRefreshMs = 15 * 60_000,
  ) {
    // Bounded: a merchant's reference data can be large (a 10,000-product catalog), so only the most
    // recently used merchants stay in memory; the others are read back from PostgreSQL when needed.
    this.memory = new LRUCache({ max: maxMerchants });
    this.lastMissRefresh = new LRUCache({ max: maxMerchants * 2 });
  }

  async get(
    merchant: Merchant,
    client: () => LightspeedClient,
    needs: {
      categoryIds?: string[];
      segmentIds?: string[];
      productIds?: string[];
      cashierIds?: string[];
      registerIds?: string[];
      outletIds?: string[];
    } = {},
  ): Promise<ReferenceData> {
    let entry = this.memory.get(merchant.id);
    if (!entry || Date.now() - entry.loadedAt > this.ttlMs) {
      entry = { data: await this.readStored(merchant.id), loadedAt: Date.now(), loads: await this.loads(merchant.id) };
      this.memory.set(merchant.id, entry);
      for (const kind of ['category', 'segment'] as const) {
        if (Date.now() - (entry.loads.get(kind) ?? 0) > this.ttlMs) await this.fetchList(merchant, client(), kind, entry.data);
      }
    }
    const missing = (ids: string[] | undefined, map: Map<string, unknown>) => (ids ?? []).some((id) => !map.has(id));
    for (const [kind, ids, map] of [
      ['category', needs.categoryIds, entry.data.categories],
      ['segment', needs.segmentIds, entry.data.segments],
    ] as const) {
      const key = `${merchant.id}:${kind}`;
      if (missing(ids, map) && Date.now() - (this.lastMissRefresh.get(key) ?? 0) > this.missRefreshMs) {
        this.lastMissRefresh.set(key, Date.now());
        await this.fetchList(merchant, client(), kind, entry.data);
      }
    }
    for (const [kind, ids, map] of [
      ['cashier', needs.cashierIds, entry.data.cashiers],
      ['register', needs.registerIds, entry.data.registers],
      ['outlet', needs.outletIds, entry.data.outlets],
    ] as const) {
      await this.refreshNames(merchant, client, entry, kind, ids ?? [], map);
    }
    if (merchant.series === 'x') {
      for (const productId of needs.productIds ?? []) {
        if (entry.data.products.has(productId)) continue;
        const key = `${merchant.id}:${productId}`;
        let pending = this.inFlight.get(key);
        if (!pending) {
          const data = entry.data;
          pending = this.fetchXProduct(merchant, client(), productId, data).finally(() => this.inFlight.delete(key));
          this.inFlight.set(key, pending);
        }
        await pending;
      }
    }
    return entry.data;
  }

  /**
   * A name list, when a sale names an id it lacks (or the list is older than the TTL) and it was not
   * loaded or tried in the last `nameRefreshMs`. Best effort: a name is never needed to decide a sale, so
   * a refusal (the app may lack Lightspeed's staff scope) or an outage leaves the id shown instead.
   */
  private async refreshNames(
    merchant: Merchant,
    client: () => LightspeedClient,
    entry: Entry,
    kind: NameKind,
    ids: string[],
    known: Map<string, string>,
  ): Promise<void> {
    if (!ids.length) return;
    const now = Date.now();
    const sinceLoad = now - (entry.loads.get(kind) ?? 0);
    const key = `${merchant.id}:${kind}`;
    if (!ids.some((id) => !known.has(id)) && sinceLoad <= this.ttlMs) return;
    if (sinceLoad <= this.nameRefreshMs || now - (this.lastMissRefresh.get(key) ?? 0) <= this.nameRefreshMs) return;
    this.lastMissRefresh.set(key, now);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const items = merchant.series === 'r' ? await fetchRNames(client(), kind) : await fetchXNames(client(), kind);
          await this.store(merchant.id, kind, items, true);
          for (const [id, data] of items) apply(entry.data, kind, id, data);
          entry.loads.set(kind, Date.now());
        } catch {
          // Shown as the id until the next try (see above).
        }
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    await pending;
  }

  /** When each whole list was last loaded (what the TTL and the name lists' refresh count from). */
  private loads(merchantId: string): Promise<Map<string, number>> {
    return readRefLoads(this.db, merchantId);
  }

  private async readStored(merchantId: string): Promise<ReferenceData> {
    const refs = emptyReferenceData();
    for (const row of await readStoredRefs(this.db, merchantId)) apply(refs, row.kind, row.ref_id, row.data);
    return refs;
  }

  private async store(merchantId: string, kind: Kind, items: Array<[string, Record<string, unknown>]>, wholeList: boolean): Promise<void> {
    if (items.length) await upsertRefs(this.db, merchantId, kind, items);
    if (wholeList) await markRefListLoaded(this.db, merchantId, kind);
  }

  private async fetchList(merchant: Merchant, client: LightspeedClient, kind: 'category' | 'segment', into: ReferenceData): Promise<void> {
    const items = merchant.series === 'r' ? await fetchRList(client, kind) : await fetchXList(client, kind);
    await this.store(merchant.id, kind, items, true);
    for (const [id, data] of items) apply(into, kind, id, data);
  }

  private async fetchXProduct(merchant: Merchant, client: LightspeedClient, productId: string, into: ReferenceData): Promise<void> {
    const { data } = await client.get(`/api/2.0/products/${encodeURIComponent(productId)}`, xProductSchema);
    const categoryId = data.product_category?.id ?? data.categories?.[0]?.id ?? null;
    const isGiftCard = data.is_gift_card === true || /gift/i.test(data.type?.name ?? '');
    const codes = [data.sku, ...(data.product_codes ?? []).map((c) => c.code)].filter((c): c is string => !!c);
    const item: Record<string, unknown> = { categoryId, isGiftCard, name: data.name ?? null, codes };
    await this.store(merchant.id, 'product', [[productId, item]], false);
    apply(into, 'product', productId, item);
  }
}

type Items = Array<[string, Record<string, unknown>]>;

async function fetchRList(client: LightspeedClient, kind: 'category' | 'segment'): Promise<Items> {
  const items: Items = [];
  if (kind === 'category') {
    for await (const page of rPages(client, 'Category.json', rCategoryListSchema, { limit: 100 })) {
      for (const c of page.Category) items.push([c.categoryID, { name: c.name, parentId: c.parentID && c.parentID !== '0' ? c.parentID : null }]);
    }
  } else {
    for await (const page of rPages(client, 'CustomerType.json', rCustomerTypeListSchema, { limit: 100 })) {
      for (const t of page.CustomerType) items.push([t.customerTypeID, { name: t.name }]);
    }
  }
  return items;
}

async function fetchXList(client: LightspeedClient, kind: 'category' | 'segment'): Promise<Items> {
  const items: Items = [];
  if (kind === 'category') {
    for await (const page of xPages(client, '/api/2.0/product_categories', xProductCategorySchema, { after: 0 })) {
      for (const c of page.data) {
        const path = c.category_path?.map((p) => p.id) ?? [];
        items.push([c.id, { name: c.name ?? c.id, parentId: c.parent_category_id ?? (path.length > 1 ? path[path.length - 2]! : null) }]);
      }
    }
  } else {
    for await (const page of xPages(client, '/api/2.0/customer_groups', xCustomerGroupSchema, { after: 0 })) {
      for (const g of page.data) items.push([g.id, { name: g.name ?? g.id }]);
    }
  }
  return items;
}

/** Name lists are best effort: an outage is not waited out (the next sale naming an unknown id tries again later). */
const NO_RETRY = { retries: 0 };

/** Only a display name is kept of a staff record (never an email or anything else it carries). */
async function fetchXNames(client: LightspeedClient, kind: NameKind): Promise<Items> {
  const items: Items = [];
  if (kind === 'cashier') {
    for await (const page of xPages(client, '/api/2.0/users', xUserSchema, { after: 0, retries: 0 }))
      for (const u of page.data) items.push([u.id, { name: u.display_name || u.username || null }]);
  } else {
    for await (const page of xPages(client, kind === 'register' ? '/api/2.0/registers' : '/api/2.0/outlets', xNamedSchema, { after: 0, retries: 0 }))
      for (const r of page.data) items.push([r.id, { name: r.name || null }]);
  }
  return items;
}

async function fetchRNames(client: LightspeedClient, kind: NameKind): Promise<Items> {
  const items: Items = [];
  if (kind === 'cashier') {
    for await (const page of rPages(client, 'Employee.json', rEmployeeListSchema, { limit: 100 }, NO_RETRY))
      for (const e of page.Employee) items.push([e.employeeID, { name: [e.firstName, e.lastName].filter(Boolean).join(' ') || null }]);
  } else if (kind === 'register') {
    for await (const page of rPages(client, 'Register.json', rRegisterListSchema, { limit: 100 }, NO_RETRY))
      for (const r of page.Register) items.push([r.registerID, { name: r.name || null }]);
  } else {
    for await (const page of rPages(client, 'Shop.json', rShopListSchema, { limit: 100 }, NO_RETRY))
      for (const s of page.Shop) items.push([s.shopID, { name: s.name || null }]);
  }
  return items;
}

function apply(refs: ReferenceData, kind: Kind, id: string, data: Record<string, unknown>): void {
  if (kind === 'cashier' || kind === 'register' || kind === 'outlet') {
    const map = kind === 'cashier' ? refs.cashiers : kind === 'register' ? refs.registers : refs.outlets;
    if (typeof data.name === 'string' && data.name) map.set(id, data.name);
  } else if (kind === 'category')
    refs.categories.set(id, { id, name: String(data.name ?? id), parentId: (data.parentId as string | null) ?? null } satisfies CategoryRef);
  else if (kind === 'segment') refs.segments.set(id, String(data.name ?? id));
  else
    refs.products.set(id, {
      categoryId: (data.categoryId as string | null) ?? null,
      isGiftCard: data.isGiftCard === true,
      ...(data.name ? { name: String(data.name) } : {}),
      ...(Array.isArray(data.codes) ? { codes: data.codes.map(String) } : {}),
    });
}
