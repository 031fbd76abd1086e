import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AuthorizationBook } from './authorization.js';
import { rCatalogue, X, xCatalogue } from './catalogue.js';
import { PosButtonSigner } from './posButton.js';
import { FixedWindow, LeakyBucket, rBucketFor, xWindowFor } from './rateLimits.js';
import { TokenBook } from './tokens.js';
import { WebhookBook } from './webhooks.js';
import { toXSale20 } from './xSale20.js';

type Json = Record<string, unknown>;

/**
 * Records a store does not hold explicitly, generated on demand (the bench's synthetic catalogue and
 * sales). Each returns undefined when the id is not one it generates.
 */
export interface Generators {
  xProduct?(id: string): Json | undefined;
  xCustomer?(id: string): Json | undefined;
  xCategories?(): Json[];
  xGroups?(): Json[];
  rSale?(saleId: string): Json | undefined;
  /**
   * `Sale.json` by offset (the bench's generated history). `fromMs` is the lower bound of a `><` window
   * (a backfill, which resumes from the newest updatetime it stored); `>` filters are not applied.
   */
  rSalePage?(offset: number, limit: number, withRelations: boolean, fromMs?: number): { total: number; sales: Json[] } | undefined;
}

export interface FakeOptions {
  /** R-Series leaky bucket; defaults to the documented size and drip for `registers`. */
  bucketSize?: number;
  dripPerSec?: number;
  /** X-Series requests per window per retailer (documented: 300 × registers + 50 per 5 minutes). */
  xRequestsPerWindow?: number;
  xWindowMs?: number;
  registers?: number;
  /** Access token lifetime the token endpoint announces and enforces (documented: 24 h). */
  accessTtlSeconds?: number;
  /** Refuse bearer and refresh tokens the fake did not issue (default: accept them, see TokenBook). */
  strictTokens?: boolean;
  /** Serve the pet store of catalogue.ts to every retailer (default true). */
  catalogue?: boolean;
  generators?: Generators;
  /** Outlet ids every X retailer lists beside the catalogue's (the bench's sales are at `outlet-1`). */
  xOutlets?: string[];
  /** Bench compatibility: X-Series 2.0 sales served to the default retailer. */
  xSales20?: Array<{ version: number } & Json>;
  /** Bench compatibility: X-Series 2.0 sales served to other retailers, by domain prefix (the soak's stores). */
  xSales20ByStore?: Map<string, Array<{ version: number } & Json>>;
  /** Bench compatibility: how many generated R sales `Sale.json` pages, and whether with relations. */
  rSales?: number;
  rListWithRelations?: boolean;
}

/**
 * An outage the fake plays on every Lightspeed URL (not on `/_fake`): `500` answers 500, `hang` never
 * answers (the caller times out; the sockets are cut when the outage ends), `429` answers 429 with a
 * one-second Retry-After whatever the bucket says (a rate-limit storm).
 */
export type Fault = '500' | 'hang' | '429';
export const FAULTS: readonly Fault[] = ['500', 'hang', '429'];

export interface FakeStats {
  calls: number;
  /** Requests answered by a fault (see Fault) instead of the API. */
  faulted: number;
  byKind: Record<string, number>;
  status429: number;
  status401: number;
  tokenRefreshes: number;
  firstCallAt: number | null;
  lastCallAt: number | null;
}

/** One X-Series retailer (a domain prefix). */
export class XRetailer {
  readonly categories: Json[];
  readonly groups: Json[];
  readonly products = new Map<string, Json>();
  readonly customers = new Map<string, Json>();
  /** API 2.0 sales by id (the latest version of each). */
  readonly sales = new Map<string, Json & { id: string; version: number }>();
  /** Webhooks registered through `/api/2.0/webhooks` (the connect flow's `sale.update`). */
  readonly webhooks = new WebhookBook();
  /** `/api/2.0/outlets` and `/api/2.0/registers`: the store's outlet and register (the fixtures' ids). */
  readonly outlets: Json[];
  readonly registers: Json[];
  /** `/api/2.0/users`: the store's staff (the fixtures' cashier). */
  readonly users: Json[];
  window: FixedWindow;

  constructor(withCatalogue: boolean, limit: number, windowMs: number, extraOutlets: string[] = []) {
    const c = withCatalogue ? xCatalogue() : { categories: [], groups: [], products: [], customers: [] };
    this.categories = c.categories.map((item, i) => ({ ...item, version: i + 1 }));
    this.groups = c.groups.map((item, i) => ({ ...item, version: i + 1 }));
    for (const p of c.products) this.products.set(p.id, p);
    for (const p of c.customers) this.customers.set(p.id, p);
    this.outlets = [...(withCatalogue ? [{ id: X.outlet, name: 'Main Street' }] : []), ...extraOutlets.map((id) => ({ id, name: id }))].map((o, i) => ({
      ...o,
      version: i + 1,
    }));
    this.registers = withCatalogue ? [{ id: X.register, name: 'Main Register', outlet_id: X.outlet, version: 1 }] : [];
    this.users = withCatalogue
      ? [{ id: X.user, username: 'alex', display_name: 'Alex Martin', email: 'alex@petstore.example', account_type: 'cashier', version: 1 }]
      : [];
    this.window = new FixedWindow(limit, windowMs);
  }

  /** Opens another outlet (with one register): the store's list grows, as when a merchant adds a shop. */
  addOutlet(id: string, registerId?: string): void {
    this.outlets.push({ id, name: id, version: this.outlets.length + 1 });
    if (registerId) this.registers.push({ id: registerId, name: registerId, outlet_id: id, version: this.registers.length + 1 });
  }

  /** Records a sale as a webhook would carry it (`register_sale`); the 2.0 view is what polling pages. */
  putSale(registerSale: Json): void {
    const sale = toXSale20(registerSale);
    const known = this.sales.get(sale.id);
    if (!known || known.version < sale.version) this.sales.set(sale.id, sale);
  }
}

/** One R-Series account. */
export class RAccount {
  readonly categories: Json[];
  readonly customerTypes: Json[];
  /** `Employee.json`, `Register.json`, `Shop.json`: the names of the cashier, register and shop. */
  readonly employees: Json[];
  readonly registers: Json[];
  readonly shops: Json[];
  readonly sales = new Map<string, Json>();
  bucket: LeakyBucket;

  constructor(withCatalogue: boolean, size: number, drip: number) {
    const c = withCatalogue ? rCatalogue() : { categories: [], customerTypes: [], employees: [], registers: [], shops: [] };
    this.categories = c.categories;
    this.customerTypes = c.customerTypes;
    this.employees = c.employees;
    this.registers = c.registers;
    this.shops = c.shops;
    this.bucket = new LeakyBucket(size, drip);
  }

  /** A sale as `Sale/{id}.json` returns it with every relation loaded; a later call replaces it (a void, an edit). */
  putSale(sale: Json): void {
    this.sales.set(String(sale.saleID), sale);
  }
}

const RELATIONS = ['SaleLines', 'SalePayments', 'Customer'];
const withoutRelations = (sale: Json) => Object.fromEntries(Object.entries(sale).filter(([k]) => !RELATIONS.includes(k)));

/**
 * A local stand-in for Lightspeed Retail's API, both series, in the documented shapes and headers (see
 * tools/fake-lightspeed/README.md): X-Series `/api/2.0` products, categories, customer groups,
 * customers and sales (`after=` paging), R-Series `Account.json`, `Category.json`, `CustomerType.json`,
 * `Sale.json` (by `updatetime`, `@attributes.next`) and `Sale/{id}.json`, each series' rate limit with
 * its headers and 429s, the token endpoints with 24-hour tokens and rotating refresh tokens, a JWKS and
 * signed POS button links. Several stores share one fake: an X retailer is `/x/{domainPrefix}` in
 * front of `/api/...` (plain `/api/...` is the retailer `default`), an R account is its `accountID`.
 * A control API under `/_fake` lets a script or a person add sales and sign button clicks.
 */
export class FakeLightspeed {
  private server: Server | null = null;
  readonly stats: FakeStats = FakeLightspeed.emptyStats();
  readonly tokens: TokenBook;
  readonly button = new PosButtonSigner();
  /** The authorize pages and authorization codes (connecting a store). */
  readonly authorization = new AuthorizationBook();
  private readonly xRetailers = new Map<string, XRetailer>();
  private readonly rAccounts = new Map<string, RAccount>();
  private outage: Fault | null = null;
  private readonly hung = new Set<ServerResponse>();
  url = '';

  constructor(private options: FakeOptions = {}) {
    this.tokens = new TokenBook(options.accessTtlSeconds ?? 86_400, options.strictTokens ?? false);
  }

  private static emptyStats(): FakeStats {
    return { calls: 0, faulted: 0, byKind: {}, status429: 0, status401: 0, tokenRefreshes: 0, firstCallAt: null, lastCallAt: null };
  }

  /** Changes options; rate-limit state starts over. */
  configure(options: FakeOptions): void {
    this.options = { ...this.options, ...options };
    for (const r of this.rAccounts.values()) {
      const { size, dripPerSec } = this.rBucket();
      r.bucket = new LeakyBucket(size, dripPerSec);
    }
    for (const x of this.xRetailers.values()) x.window = new FixedWindow(this.xLimit(), this.options.xWindowMs);
  }

  /** Starts an outage (see Fault), or ends it with null. */
  setFault(fault: Fault | null): void {
    this.outage = fault;
    if (fault === 'hang') return;
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  get fault(): Fault | null {
    return this.outage;
  }

  private faulty(res: ServerResponse, fault: Fault): void {
    this.stats.faulted += 1;
    if (fault === 'hang') {
      this.hung.add(res);
      res.once('close', () => this.hung.delete(res));
      return;
    }
    if (fault === '429') {
      this.stats.status429 += 1;
      return this.json(res, 429, { error: 'Too Many Requests' }, { 'Retry-After': '1' });
    }
    this.json(res, 500, { error: 'Internal Server Error' });
  }

  resetStats(): void {
    Object.assign(this.stats, FakeLightspeed.emptyStats());
  }

  private rBucket() {
    const documented = rBucketFor(this.options.registers ?? 1);
    return { size: this.options.bucketSize ?? documented.size, dripPerSec: this.options.dripPerSec ?? documented.dripPerSec };
  }

  private xLimit() {
    return this.options.xRequestsPerWindow ?? xWindowFor(this.options.registers ?? 1);
  }

  x(domainPrefix = 'default'): XRetailer {
    let retailer = this.xRetailers.get(domainPrefix);
    if (!retailer) {
      retailer = new XRetailer(this.options.catalogue !== false, this.xLimit(), this.options.xWindowMs ?? 5 * 60_000, this.options.xOutlets);
      this.xRetailers.set(domainPrefix, retailer);
    }
    return retailer;
  }

  r(accountId: string): RAccount {
    let account = this.rAccounts.get(accountId);
    if (!account) {
      const { size, dripPerSec } = this.rBucket();
      account = new RAccount(this.options.catalogue !== false, size, dripPerSec);
      this.rAccounts.set(accountId, account);
    }
    return account;
  }

  /** The `apiBaseUrl` to give a merchant of this fake. */
  apiBaseUrl(series: 'x' | 'r', domainPrefix?: string): string {
    return series === 'x' && domainPrefix ? `${this.url}/x/${encodeURIComponent(domainPrefix)}` : this.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.json(res, 500, { error: (error as Error).message }));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    const address = this.server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
    return this.url;
  }

  async stop(): Promise<void> {
    // Keep-alive sockets (the service's, or this process's own fetch) would hold close() open.
    const server = this.server;
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      this.setFault(null);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.server = null;
  }

  private count(kind: string): void {
    const now = Date.now();
    this.stats.calls += 1;
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
    this.stats.firstCallAt ??= now;
    this.stats.lastCallAt = now;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    if (path.startsWith('/_fake')) return this.control(req, res, path.slice('/_fake'.length), url);
    if (this.outage) return this.faulty(res, this.outage);
    if (req.method === 'GET' && path === '/.well-known/jwks') {
      this.count('jwks');
      return this.json(res, 200, this.button.jwks());
    }
    if (req.method === 'GET' && (path === '/connect' || path === '/auth/oauth/authorize'))
      return this.authorize(res, path === '/connect' ? 'x' : 'r', url.searchParams);
    const xPrefix = /^\/x\/([^/]+)(\/api\/.*)$/.exec(path);
    const retailer = xPrefix ? decodeURIComponent(xPrefix[1]!) : 'default';
    const xPath = xPrefix ? xPrefix[2]! : path;
    if (req.method === 'POST' && (xPath === '/api/1.0/token' || path === '/auth/oauth/token'))
      return this.token(req, res, xPath === '/api/1.0/token' ? 'x' : 'r', retailer);
    if (xPath === '/api/2.0/webhooks' || xPath.startsWith('/api/2.0/webhooks/')) return this.webhooks(req, res, xPath, retailer);
    if (xPath.startsWith('/api/2.0/')) return this.handleX(req, xPath, url, res, retailer);
    if (path === '/API/V3/Account.json') return this.account(req, res);
    const r = /^\/API\/V3\/Account\/([^/]+)\/(.+)$/.exec(path);
    if (r) return this.handleR(req, decodeURIComponent(r[1]!), r[2]!, url, res);
    this.json(res, 404, { error: 'not found' });
  }

  /**
   * `grant_type=refresh_token` (form-encoded, or JSON on R-Series): a new access token and a new refresh
   * token; the old refresh token is spent. X answers `expires` (unix time) and `expires_in`, R `expires_in`.
   */
  private async token(req: IncomingMessage, res: ServerResponse, series: 'x' | 'r', retailer: string): Promise<void> {
    this.count('token');
    const raw = await this.body(req);
    const form: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    if (form.grant_type === 'authorization_code') return this.redeemCode(res, series, retailer, form);
    if (form.grant_type !== 'refresh_token' || !form.refresh_token)
      return this.json(res, 400, { error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code or refresh_token' });
    const issued = this.tokens.rotate(form.refresh_token, retailer);
    if (!issued) return this.json(res, 400, { error: 'invalid_grant', error_description: 'refresh token already used or unknown' });
    this.stats.tokenRefreshes += 1;
    const body: Json = { access_token: issued.accessToken, refresh_token: issued.refreshToken, token_type: 'Bearer', expires_in: issued.expiresIn };
    if (series === 'x') Object.assign(body, { expires: Math.floor(issued.expiresAt / 1000), domain_prefix: retailer });
    else Object.assign(body, { scope: 'employee:register_read employee:customers_read employee:inventory_read employee:categories' });
    this.json(res, 200, body);
  }

  /** The authorize page: approves at once (see AuthorizationBook) and sends the browser back with a code. */
  private authorize(res: ServerResponse, series: 'x' | 'r', query: URLSearchParams): void {
    this.count(`${series}.authorize`);
    const answer = this.authorization.authorize(series, query);
    if ('location' in answer) {
      res.writeHead(302, { location: answer.location });
      res.end();
      return;
    }
    this.json(res, answer.status, { error: answer.error, error_description: answer.description });
  }

  /** `grant_type=authorization_code`: the first tokens of the store that approved (X also names it). */
  private redeemCode(res: ServerResponse, series: 'x' | 'r', retailer: string, form: Record<string, string>): void {
    const answer = this.authorization.redeem(series, form);
    if (!('store' in answer)) return this.json(res, answer.status, { error: answer.error, error_description: answer.description });
    // A store's own token endpoint (`/x/<prefix>/api/1.0/token`) redeems only that store's codes.
    if (series === 'x' && retailer !== 'default' && retailer !== answer.store)
      return this.json(res, 400, { error: 'invalid_grant', error_description: 'the code is for another store' });
    if (series === 'x') this.x(answer.store);
    else this.r(answer.store);
    const issued = this.tokens.issue(answer.store);
    const body: Json = { access_token: issued.accessToken, refresh_token: issued.refreshToken, token_type: 'Bearer', expires_in: issued.expiresIn };
    if (series === 'x') Object.assign(body, { expires: Math.floor(issued.expiresAt / 1000), domain_prefix: answer.store });
    else Object.assign(body, { scope: 'employee:register_read employee:customers_read employee:inventory_read employee:categories' });
    this.json(res, 200, body);
  }

  /** X-Series API 2.0 webhooks of one retailer (see WebhookBook). */
  private async webhooks(req: IncomingMessage, res: ServerResponse, path: string, prefix: string): Promise<void> {
    const store = this.x(prefix);
    if (!this.authorized(req, res)) return;
    const admission = store.window.admit();
    if (!admission.ok) {
      this.stats.status429 += 1;
      return this.json(res, 429, { error: 'Too Many Requests' }, admission.headers);
    }
    this.count('x.webhooks');
    const one = /^\/api\/2\.0\/webhooks\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && !one) return this.json(res, 200, { data: store.webhooks.list() });
    if (req.method === 'POST' && !one) {
      let input: Json;
      try {
        input = JSON.parse((await this.body(req)) || '{}') as Json;
      } catch {
        return this.json(res, 400, { error: 'the body must be JSON' });
      }
      const created = store.webhooks.create(input);
      return this.json(res, created.status, created.body);
    }
    if (req.method === 'DELETE' && one) {
      const status = store.webhooks.delete(decodeURIComponent(one[1]!));
      if (status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      return this.json(res, 404, { error: 'Not Found' });
    }
    this.json(res, 405, { error: 'method not allowed' });
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.tokens.accepts(req.headers.authorization)) return true;
    this.stats.status401 += 1;
    this.json(res, 401, { error: 'invalid_token', error_description: 'The access token provided is invalid or expired' });
    return false;
  }

  private account(req: IncomingMessage, res: ServerResponse): void {
    if (!this.authorized(req, res)) return;
    this.count('r.account');
    // The account a connect flow's token was issued for; otherwise the first one known.
    const first = this.tokens.storeOf(req.headers.authorization) ?? [...this.rAccounts.keys()][0] ?? '1';
    this.json(res, 200, { '@attributes': { count: '1' }, Account: { accountID: first, name: 'Fake pet store' } });
  }

  private handleX(req: IncomingMessage, path: string, url: URL, res: ServerResponse, prefix: string): void {
    const store = this.x(prefix);
    if (!this.authorized(req, res)) return;
    const admission = store.window.admit();
    if (!admission.ok) {
      this.stats.status429 += 1;
      return this.json(res, 429, { error: 'Too Many Requests' }, admission.headers);
    }
    const after = Number(url.searchParams.get('after') ?? 0);
    const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? 200) || 200, 10_000);
    const versioned = (items: Json[]) => {
      const page = items
        .filter((item) => Number(item.version) > after)
        .sort((a, b) => Number(a.version) - Number(b.version))
        .slice(0, pageSize);
      return { data: page, version: page.length ? { min: Number(page[0]!.version), max: Number(page[page.length - 1]!.version) } : null };
    };
    const gen = this.options.generators;
    if (path === '/api/2.0/product_categories') {
      this.count('x.categories');
      return this.json(res, 200, versioned([...store.categories, ...(gen?.xCategories?.() ?? [])]));
    }
    if (path === '/api/2.0/outlets' || path === '/api/2.0/registers') {
      this.count(path === '/api/2.0/outlets' ? 'x.outlets' : 'x.registers');
      return this.json(res, 200, versioned(path === '/api/2.0/outlets' ? store.outlets : store.registers));
    }
    if (path === '/api/2.0/users') {
      this.count('x.users');
      return this.json(res, 200, versioned(store.users));
    }
    if (path === '/api/2.0/customer_groups') {
      this.count('x.groups');
      return this.json(res, 200, versioned([...store.groups, ...(gen?.xGroups?.() ?? [])]));
    }
    if (path === '/api/2.0/sales') {
      this.count('x.sales');
      const extra = this.options.xSales20ByStore?.get(prefix) ?? (prefix === 'default' ? (this.options.xSales20 ?? []) : []);
      return this.json(res, 200, versioned([...store.sales.values(), ...extra]));
    }
    const product = /^\/api\/2\.0\/products\/([^/]+)$/.exec(path);
    if (product) {
      this.count('x.product');
      const id = decodeURIComponent(product[1]!);
      const found = store.products.get(id) ?? gen?.xProduct?.(id);
      return found ? this.json(res, 200, { data: found }) : this.json(res, 404, { error: 'Not Found', details: `product ${id}` });
    }
    const customer = /^\/api\/2\.0\/customers\/([^/]+)$/.exec(path);
    if (customer) {
      this.count('x.customer');
      const id = decodeURIComponent(customer[1]!);
      const found = store.customers.get(id) ?? gen?.xCustomer?.(id);
      return found ? this.json(res, 200, { data: found }) : this.json(res, 404, { error: 'Not Found', details: `customer ${id}` });
    }
    this.json(res, 404, { error: 'not found' });
  }

  private handleR(req: IncomingMessage, accountId: string, resource: string, url: URL, res: ServerResponse): void {
    const account = this.r(accountId);
    if (!this.authorized(req, res)) return;
    const relations = url.searchParams.get('load_relations');
    // The docs say loaded relations add to a request's cost without a figure: every request costs 1 here.
    const admission = account.bucket.admit(1);
    for (const [name, value] of Object.entries(admission.headers)) res.setHeader(name, value);
    if (!admission.ok) {
      this.stats.status429 += 1;
      return this.json(res, 429, { httpCode: '429', httpMessage: 'Too Many Requests', message: 'Rate limit exceeded' });
    }
    const list = (name: string, items: Json[]) => ({
      '@attributes': { count: String(items.length), offset: '0', limit: '100', next: '', previous: '' },
      [name]: items.length === 1 ? items[0] : items,
    });
    if (resource === 'Category.json') {
      this.count('r.categories');
      return this.json(res, 200, list('Category', account.categories));
    }
    if (resource === 'CustomerType.json') {
      this.count('r.customerTypes');
      return this.json(res, 200, list('CustomerType', account.customerTypes));
    }
    for (const [file, name, items] of [
      ['Employee.json', 'Employee', account.employees],
      ['Register.json', 'Register', account.registers],
      ['Shop.json', 'Shop', account.shops],
    ] as const) {
      if (resource !== file) continue;
      this.count(`r.${name.toLowerCase()}s`);
      return this.json(res, 200, list(name, items));
    }
    const one = /^Sale\/([^/]+)\.json$/.exec(resource);
    if (one) {
      this.count('r.sale');
      const id = decodeURIComponent(one[1]!);
      const sale = account.sales.get(id) ?? this.options.generators?.rSale?.(id);
      return sale
        ? this.json(res, 200, { '@attributes': { count: '1' }, Sale: relations ? sale : withoutRelations(sale) })
        : this.json(res, 404, { httpCode: '404', message: `Sale ${id} not found` });
    }
    if (resource === 'Sale.json') {
      this.count('r.saleList');
      return this.saleList(account, url, res, Boolean(relations));
    }
    this.json(res, 404, { httpCode: '404', message: 'not found' });
  }

  /** `Sale.json?updatetime=>,<iso>` (or `><,<from>,<to>`), `sort=updatetime`, `limit` ≤ 100, `@attributes.next` carrying the offset. */
  private saleList(account: RAccount, url: URL, res: ServerResponse, relations: boolean): void {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 100);
    const next = (total: number) => {
      if (offset + limit >= total) return '';
      const params = new URLSearchParams(url.searchParams);
      params.set('offset', String(offset + limit));
      params.set('limit', String(limit));
      return `${this.url}${url.pathname}?${params.toString()}`;
    };
    const filter = url.searchParams.get('updatetime');
    const [op, a, b] = (filter ?? '').split(',');
    const windowFrom = op === '><' ? Date.parse(a ?? '') : undefined;
    const generated =
      this.options.rSales !== undefined
        ? this.options.generators?.rSalePage?.(offset, limit, this.options.rListWithRelations !== false, Number.isFinite(windowFrom) ? windowFrom : undefined)
        : undefined;
    if (generated)
      return this.json(res, 200, {
        '@attributes': { count: String(generated.total), offset: String(offset), limit: String(limit), next: next(generated.total) },
        Sale: generated.sales,
      });
    const inRange = (sale: Json) => {
      const at = Date.parse(String(sale.updatetime ?? ''));
      if (op === '>') return at > Date.parse(a ?? '');
      if (op === '><') return at >= Date.parse(a ?? '') && at <= Date.parse(b ?? '');
      return true;
    };
    const all = [...account.sales.values()].filter(inRange).sort((x, y) => Date.parse(String(x.updatetime)) - Date.parse(String(y.updatetime)));
    const page = all.slice(offset, offset + limit).map((sale) => (relations ? sale : withoutRelations(sale)));
    this.json(res, 200, {
      '@attributes': { count: String(all.length), offset: String(offset), limit: String(limit), next: next(all.length) },
      Sale: page.length === 1 ? page[0] : page,
    });
  }

  /**
   * The control API (not Lightspeed's): `GET /_fake` describes it; `PUT /_fake/x/{prefix}/sales` records a
   * `register_sale` for polling; `PUT /_fake/r/{accountID}/sales` records a `Sale`; `POST
   * /_fake/r/{accountID}/button {buttonUrl, saleId, customerId?}` answers the signed link the POS would open;
   * `POST /_fake/tokens/expire {accessToken}`; `POST /_fake/fault {mode}` (an outage, see Fault); `GET /_fake/stats`.
   */
  private async control(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const read = async () => JSON.parse((await this.body(req)) || '{}') as Json;
    if (req.method === 'GET' && (path === '' || path === '/')) {
      return this.json(res, 200, {
        fake: 'Lightspeed Retail (X-Series and R-Series), see tools/fake-lightspeed/README.md',
        xApiBaseUrl: `${this.url}/x/{domainPrefix}`,
        rApiBaseUrl: this.url,
        env: this.serviceEnv(),
        control: [
          'PUT /_fake/x/{domainPrefix}/sales',
          'PUT /_fake/r/{accountID}/sales',
          'POST /_fake/r/{accountID}/button',
          'POST /_fake/tokens/expire',
          'POST /_fake/fault {"mode": "500" | "hang" | "429" | null}',
          'GET /_fake/stats',
        ],
      });
    }
    if (req.method === 'GET' && path === '/stats') return this.json(res, 200, this.stats);
    if (req.method === 'POST' && path === '/fault') {
      const { mode } = await read();
      if (mode !== null && !FAULTS.includes(mode as Fault)) return this.json(res, 422, { error: 'mode must be "500", "hang", "429" or null' });
      this.setFault(mode as Fault | null);
      return this.json(res, 200, { fault: this.outage });
    }
    const xSale = /^\/x\/([^/]+)\/sales$/.exec(path);
    if (req.method === 'PUT' && xSale) {
      const sale = await read();
      if (typeof sale.id !== 'string' || typeof sale.version !== 'number') return this.json(res, 422, { error: 'a register_sale needs id and version' });
      this.x(decodeURIComponent(xSale[1]!)).putSale(sale);
      return this.json(res, 200, { stored: sale.id });
    }
    const rSale = /^\/r\/([^/]+)\/sales$/.exec(path);
    if (req.method === 'PUT' && rSale) {
      const sale = await read();
      if (typeof sale.saleID !== 'string' || typeof sale.updatetime !== 'string') return this.json(res, 422, { error: 'a Sale needs saleID and updatetime' });
      this.r(decodeURIComponent(rSale[1]!)).putSale(sale);
      return this.json(res, 200, { stored: sale.saleID });
    }
    const button = /^\/r\/([^/]+)\/button$/.exec(path);
    if (req.method === 'POST' && button) {
      const click = await read();
      if (typeof click.buttonUrl !== 'string' || typeof click.saleId !== 'string') return this.json(res, 422, { error: 'buttonUrl and saleId are required' });
      return this.json(res, 200, {
        url: this.button.signedUrl(click.buttonUrl, {
          accountId: decodeURIComponent(button[1]!),
          saleId: click.saleId,
          ...(typeof click.customerId === 'string' ? { customerId: click.customerId } : {}),
        }),
      });
    }
    if (req.method === 'POST' && path === '/tokens/expire') {
      const { accessToken } = await read();
      if (typeof accessToken !== 'string') return this.json(res, 422, { error: 'accessToken is required' });
      this.tokens.expire(accessToken);
      return this.json(res, 200, { expired: true });
    }
    void url;
    this.json(res, 404, { error: 'not found' });
  }

  /** The service settings that send its token refreshes and button-key lookups here. */
  serviceEnv(): Record<string, string> {
    return {
      X_OAUTH_TOKEN_URL: `${this.url}/api/1.0/token`,
      R_OAUTH_TOKEN_URL: `${this.url}/auth/oauth/token`,
      LIGHTSPEED_JWKS_URL: `${this.url}/.well-known/jwks`,
    };
  }
}
