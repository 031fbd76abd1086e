import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PRODUCTS, X_GROUP, rSale } from './data.js';

export interface FakeOptions {
  /** R-Series leaky bucket. */
  bucketSize?: number;
  dripPerSec?: number;
  /** R-Series sales served by `Sale.json` (time-ordered), and whether list pages include relations. */
  rSales?: number;
  rListWithRelations?: boolean;
  rStart?: Date;
  /** X-Series 2.0 sales served by `/api/2.0/sales?after=` (what the reconciliation poll sees). */
  xSales20?: Array<{ version: number } & Record<string, unknown>>;
}

export interface FakeStats {
  calls: number;
  byKind: Record<string, number>;
  status429: number;
  firstCallAt: number | null;
  lastCallAt: number | null;
}

/**
 * A local stand-in for Lightspeed's API with the documented shapes and headers: X-Series products,
 * categories and customer groups; R-Series categories, customer types, `Sale.json` pages with
 * `@attributes.next`, `Sale/{id}.json`, a leaky bucket answering 429 with `Retry-After`, and the token
 * endpoints. Counts every call.
 */
export class FakeLightspeed {
  private server: Server | null = null;
  readonly stats: FakeStats = { calls: 0, byKind: {}, status429: 0, firstCallAt: null, lastCallAt: null };
  private level = 0;
  private levelAt = Date.now();
  url = '';

  constructor(private options: FakeOptions = {}) {}

  configure(options: FakeOptions): void {
    this.options = { ...this.options, ...options };
    this.level = 0;
    this.levelAt = Date.now();
  }

  resetStats(): void {
    Object.assign(this.stats, { calls: 0, byKind: {}, status429: 0, firstCallAt: null, lastCallAt: null });
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private count(kind: string): void {
    const now = Date.now();
    this.stats.calls += 1;
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
    this.stats.firstCallAt ??= now;
    this.stats.lastCallAt = now;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (req.method === 'POST' && (path === '/api/1.0/token' || path === '/auth/oauth/token')) {
      this.count('token');
      return this.json(res, 200, { access_token: `at-${Date.now()}`, refresh_token: `rt-${Date.now()}`, expires_in: 86_400, expires: Math.floor(Date.now() / 1000) + 86_400 });
    }
    if (path.startsWith('/api/2.0/')) return this.handleX(path, url, res);
    const r = /^\/API\/V3\/Account\/(\d+)\/(.+)$/.exec(path);
    if (r) return this.handleR(r[2]!, url, res);
    this.json(res, 404, { error: 'not found' });
  }

  private handleX(path: string, url: URL, res: ServerResponse): void {
    const after = Number(url.searchParams.get('after') ?? 0);
    if (path === '/api/2.0/product_categories') {
      this.count('x.categories');
      const data = after > 0 ? [] : Array.from({ length: 5 }, (_, i) => ({ id: `cat-${i}`, name: `Category ${i}`, category_path: [{ id: `cat-${i}` }] }));
      return this.json(res, 200, { data, version: data.length ? { min: 1, max: 5 } : null });
    }
    if (path === '/api/2.0/customer_groups') {
      this.count('x.groups');
      return this.json(res, 200, { data: after > 0 ? [] : [{ id: X_GROUP, name: 'Retail' }], version: after > 0 ? null : { min: 1, max: 1 } });
    }
    const product = /^\/api\/2\.0\/products\/prod-(\d+)$/.exec(path);
    if (product) {
      this.count('x.product');
      return this.json(res, 200, { data: { id: `prod-${product[1]}`, name: `Product ${product[1]}`, sku: `SKU-${product[1]}`, product_category: { id: `cat-${Number(product[1]) % 5}` } } });
    }
    if (path === '/api/2.0/sales') {
      this.count('x.sales');
      const page = (this.options.xSales20 ?? []).filter((sale) => sale.version > after).sort((a, b) => a.version - b.version).slice(0, 200);
      return this.json(res, 200, { data: page, version: page.length ? { min: page[0]!.version, max: page[page.length - 1]!.version } : null });
    }
    const customer = /^\/api\/2\.0\/customers\/(.+)$/.exec(path);
    if (customer) {
      this.count('x.customer');
      const id = decodeURIComponent(customer[1]!);
      return this.json(res, 200, { data: { id, customer_code: id.toUpperCase(), customer_group_id: X_GROUP, email: `${id}@example.com`, enable_loyalty: true } });
    }
    this.json(res, 404, { error: 'not found' });
  }

  /** Leaky bucket: level drains at `drip` per second; a call over the size is refused with 429. */
  private admit(res: ServerResponse): boolean {
    const size = this.options.bucketSize ?? 90;
    const drip = this.options.dripPerSec ?? 1;
    const now = Date.now();
    this.level = Math.max(0, this.level - ((now - this.levelAt) / 1000) * drip);
    this.levelAt = now;
    if (this.level + 1 > size) {
      this.stats.status429 += 1;
      this.json(res, 429, { message: 'Rate limit exceeded' }, { 'Retry-After': String(Math.ceil((this.level + 1 - size) / drip)), 'X-LS-API-Bucket-Level': `${Math.ceil(this.level)}/${size}`, 'X-LS-API-Drip-Rate': String(drip) });
      return false;
    }
    this.level += 1;
    res.setHeader('X-LS-API-Bucket-Level', `${Math.ceil(this.level)}/${size}`);
    res.setHeader('X-LS-API-Drip-Rate', String(drip));
    res.setHeader('X-LS-API-Request-Cost', '1');
    return true;
  }

  private handleR(resource: string, url: URL, res: ServerResponse): void {
    if (!this.admit(res)) return;
    if (resource === 'Category.json') {
      this.count('r.categories');
      return this.json(res, 200, {
        '@attributes': { next: '' },
        Category: [
          { categoryID: '10', name: 'Dog', parentID: '0' },
          { categoryID: '14', name: 'Food', parentID: '10' },
          { categoryID: '20', name: 'Cat', parentID: '0' },
          { categoryID: '22', name: 'Furniture', parentID: '20' },
        ],
      });
    }
    if (resource === 'CustomerType.json') {
      this.count('r.customerTypes');
      return this.json(res, 200, { '@attributes': { next: '' }, CustomerType: [{ customerTypeID: '2', name: 'Loyalty member' }] });
    }
    const one = /^Sale\/(\d+)\.json$/.exec(resource);
    if (one) {
      this.count('r.sale');
      const n = Number(one[1]) - 100_000;
      return this.json(res, 200, { '@attributes': { count: '1' }, Sale: rSale(n, this.rTime(n)) });
    }
    if (resource === 'Sale.json') {
      this.count('r.saleList');
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const total = this.options.rSales ?? 0;
      const page = Array.from({ length: Math.max(0, Math.min(100, total - offset)) }, (_, i) => rSale(offset + i, this.rTime(offset + i), { withRelations: this.options.rListWithRelations !== false }));
      const next = offset + 100 < total ? `${this.url}${url.pathname}?offset=${offset + 100}&limit=100` : '';
      return this.json(res, 200, { '@attributes': { count: String(total), next }, Sale: page });
    }
    this.json(res, 404, { error: 'not found' });
  }

  private rTime(n: number): Date {
    return new Date((this.options.rStart ?? new Date('2026-11-20T00:00:00Z')).getTime() + n * 1000);
  }
}

export { PRODUCTS };
