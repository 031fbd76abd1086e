/** Reference data the normalizers need, loaded from the cache (src/lightspeed/refs/cache.ts). */
export interface CategoryRef {
  id: string;
  name: string;
  parentId: string | null;
}

export interface ProductRef {
  categoryId: string | null;
  isGiftCard: boolean;
  name?: string;
  /** SKU and product codes (UPC, EAN, ...): frequent-buyer offers name products by these. */
  codes?: string[];
}

export interface ReferenceData {
  categories: Map<string, CategoryRef>;
  /** Customer types (R) or customer groups (X): id → name. */
  segments: Map<string, string>;
  /** X-Series: product id → its category id and gift-card marker. */
  products: Map<string, ProductRef>;
  /** Cashiers (X users, R employees), registers and outlets (R shops): id → the name the POS shows. */
  cashiers: Map<string, string>;
  registers: Map<string, string>;
  outlets: Map<string, string>;
}

export const emptyReferenceData = (): ReferenceData => ({
  categories: new Map(),
  segments: new Map(),
  products: new Map(),
  cashiers: new Map(),
  registers: new Map(),
  outlets: new Map(),
});

/** Category ids from the root down to `leafId`; stops on a cycle or an unknown parent. */
export function categoryPath(categories: Map<string, CategoryRef>, leafId: string | null | undefined): string[] {
  if (!leafId || leafId === '0') return [];
  const path: string[] = [];
  const seen = new Set<string>();
  let current: string | null = leafId;
  while (current && current !== '0' && !seen.has(current)) {
    seen.add(current);
    path.unshift(current);
    current = categories.get(current)?.parentId ?? null;
  }
  return path;
}
