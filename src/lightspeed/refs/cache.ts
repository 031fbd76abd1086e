import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/pool.js';
import type { Merchant } from '../../merchants/store/schema.js';
import type { LightspeedClient } from '../client.js';
import { rCategoryListSchema, rCustomerTypeListSchema } from '../r/schemas.js';
import { rPages } from '../r/pager.js';
import { xPages } from '../x/pager.js';
import { xCustomerGroupSchema, xProductCategorySchema, xProductSchema } from '../x/schemas.js';
import { markRefListLoaded, readRefLoads, readStoredRefs, upsertRefs, type RefKind } from './store.js';
import { emptyReferenceData, type CategoryRef, type ReferenceData } from './types.js';

type Kind = RefKind;
interface Entry {
  data: ReferenceData;
  loadedAt: number;
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
  ) {
    // Bounded: a merchant's reference data can be large (a 10,000-product catalog), so only the most
    // recently used merchants stay in memory; the others are read back from PostgreSQL when needed.
    this.memory = new LRUCache({ max: maxMerchants });
    this.lastMissRefresh = new LRUCache({ max: maxMerchants * 2 });
  }

  async get(
    merchant: Merchant,
    client: () => LightspeedClient,
    needs: { categoryIds?: string[]; segmentIds?: string[]; productIds?: string[] } = {},
  ): Promise<ReferenceData> {
    let entry = this.memory.get(merchant.id);
    if (!entry || Date.now() - entry.loadedAt > this.ttlMs) {
      entry = { data: await this.readStored(merchant.id), loadedAt: Date.now() };
      this.memory.set(merchant.id, entry);
      const loads = await readRefLoads(this.db, merchant.id);
      for (const kind of ['category', 'segment'] as const) {
        if (Date.now() - (loads.get(kind) ?? 0) > this.ttlMs) await this.fetchList(merchant, client(), kind, entry.data);
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

function apply(refs: ReferenceData, kind: Kind, id: string, data: Record<string, unknown>): void {
  if (kind === 'category')
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
