import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import axios from 'axios';
import { z } from 'zod';

export class ButtonSignatureError extends Error {
  override name = 'ButtonSignatureError';
}

const jwksSchema = z.object({ keys: z.array(z.looseObject({ kid: z.string(), kty: z.string() })) });

/** Lightspeed's signing keys, cached; an unknown `kid` refetches (at most every `minRefetchMs`). */
export class JwksCache {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;

  constructor(
    private readonly url: string,
    private readonly minRefetchMs = 5_000,
  ) {}

  async key(kid: string, now = Date.now()): Promise<KeyObject> {
    const cached = this.keys.get(kid);
    if (cached) return cached;
    if (this.fetchedAt === 0 || now - this.fetchedAt >= this.minRefetchMs) await this.refresh(now);
    const key = this.keys.get(kid);
    if (!key) throw new ButtonSignatureError(`unknown signing key '${kid}'`);
    return key;
  }

  private async refresh(now: number): Promise<void> {
    this.fetchedAt = now;
    const res = await axios.get(this.url, { timeout: 5_000 });
    const { keys } = jwksSchema.parse(res.data);
    this.keys = new Map(keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })]));
  }
}

const isUnreserved = (c: string) => /^[A-Za-z0-9\-._~]$/.test(c);

/**
 * One query name or value normalized per RFC 3986 §6.2.2, from the bytes as sent: percent-encodings in
 * upper case, those of unreserved characters decoded (`%7E` is `~`), everything else left as it came
 * (`+` is a plus, not a space: the link's own encoding is what was signed, PHP's `+` for a space
 * included). A character a query may not hold raw (a space, non-ASCII) is percent-encoded as UTF-8.
 */
export function normalizeQueryComponent(raw: string): string {
  return raw.replace(/%([0-9a-fA-F]{2})|%|[^A-Za-z0-9\-._~!$'()*+,;:@/?]/gu, (match, hex: string | undefined) => {
    if (hex !== undefined) {
      const c = String.fromCharCode(parseInt(hex, 16));
      return isUnreserved(c) ? c : `%${hex.toUpperCase()}`;
    }
    if (match === '%') return '%25';
    try {
      return encodeURIComponent(match);
    } catch {
      return '%EF%BF%BD'; // an unpaired surrogate: what a UTF-8 encoder writes for it
    }
  });
}

/**
 * The string Lightspeed signs: the URL normalized per RFC 3986 (lower-case scheme and host, no default
 * port), with every query parameter but `signature` sorted by name, each normalized from the raw query.
 */
export function canonicalButtonUrl(publicBase: string, path: string, rawQuery: string): string {
  const base = new URL(publicBase);
  const port = base.port && !((base.protocol === 'https:' && base.port === '443') || (base.protocol === 'http:' && base.port === '80')) ? `:${base.port}` : '';
  const query = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [normalizeQueryComponent(pair), ''] : [normalizeQueryComponent(pair.slice(0, eq)), normalizeQueryComponent(pair.slice(eq + 1))];
    })
    .filter(([name]) => name !== 'signature')
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${base.protocol.toLowerCase()}//${base.hostname.toLowerCase()}${port}${path}?${query}`;
}

/** PHP's `urldecode` on bytes: `+` is a space, `%XX` a byte, a malformed `%` stays as it is. */
function phpUrlDecode(raw: string): Buffer {
  const bytes = Buffer.from(raw.replace(/\+/g, ' '), 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 1) {
    const hex = bytes[i] === 0x25 && i + 2 < bytes.length ? bytes.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(bytes[i]!);
  }
  return Buffer.from(out);
}

/** PHP's `urlencode` (RFC 1738, what `http_build_query` uses): `A-Za-z0-9-_.` kept, space `+`, every other byte `%XX`. */
function phpUrlEncode(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.]/.test(c) ? c : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The string Lightspeed's own reference verifier (lightspeedretail/demo-menu-button-signature-php,
 * `index.php`) checks: the query parsed as PHP's `parse_str` does (`+` and `%20` are spaces; a `.` or a
 * space in a name becomes `_`; a repeated name keeps its last value), `signature` removed, sorted by name
 * (`ksort`), rebuilt by `http_build_query` (RFC 1738: space `+`, `~` `%7E`). Written on bytes rather than
 * with a PHP-port library: a decoded value need not be UTF-8, and re-encoding it must give the same bytes.
 */
export function phpCanonicalButtonUrl(publicBase: string, path: string, rawQuery: string): string {
  const base = new URL(publicBase);
  const port = base.port && !((base.protocol === 'https:' && base.port === '443') || (base.protocol === 'http:' && base.port === '80')) ? `:${base.port}` : '';
  const params = new Map<string, Buffer>();
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = phpUrlDecode(eq < 0 ? pair : pair.slice(0, eq))
      .toString('latin1')
      .replace(/^ +/, '')
      .replace(/[ .]/g, '_');
    if (!name) continue;
    params.set(name, phpUrlDecode(eq < 0 ? '' : pair.slice(eq + 1)));
  }
  params.delete('signature');
  const query = [...params.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${phpUrlEncode(Buffer.from(name, 'latin1'))}=${phpUrlEncode(value)}`)
    .join('&');
  return `${base.protocol.toLowerCase()}//${base.hostname.toLowerCase()}${port}${path}?${query}`;
}

export interface ButtonClick {
  accountId: string;
  saleId: string;
  employeeId: string | null;
  returnUrl: string | null;
}

/** Verifies a Custom Menus "Open Web Page" click: all signing parameters, not expired, RS256 by `kid`. */
export async function verifyButtonClick(input: { publicBase: string; path: string; rawQuery: string; jwks: JwksCache; now?: number }): Promise<ButtonClick> {
  const params = [...new URLSearchParams(input.rawQuery)];
  const get = (name: string) => params.find(([n]) => n === name)?.[1];
  const [exp, kid, alg, signature] = ['exp', 'kid', 'alg', 'signature'].map(get);
  if (!exp || !kid || !alg || !signature) throw new ButtonSignatureError('the link is not signed (exp, kid, alg and signature are required)');
  if (alg !== 'RS256') throw new ButtonSignatureError(`unsupported algorithm ${alg}`);
  const expiresAt = Number(exp) * 1000;
  if (!Number.isFinite(expiresAt) || (input.now ?? Date.now()) > expiresAt) throw new ButtonSignatureError('the link has expired');
  if (params.filter(([n]) => n === 'signature').length !== 1) throw new ButtonSignatureError('more than one signature');
  const key = await input.jwks.key(kid);
  // Two readings of "normalized, sorted": RFC 3986 (what worked so far) and the PHP form of Lightspeed's
  // reference verifier (a space or `~` in a value signs differently). Either one matching is genuine.
  const signed = Buffer.from(signature, 'base64url');
  const forms = [canonicalButtonUrl, phpCanonicalButtonUrl].map((form) => Buffer.from(form(input.publicBase, input.path, input.rawQuery), 'utf8'));
  if (!forms.some((message) => verify('RSA-SHA256', message, key, signed))) throw new ButtonSignatureError('the signature does not match');
  const accountId = get('accountID');
  const saleId = get('saleID');
  if (!accountId || !saleId) throw new ButtonSignatureError('accountID and saleID are required');
  return { accountId, saleId, employeeId: get('employeeID') ?? null, returnUrl: get('returnURL') ?? null };
}
