import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * Lightspeed's side of the R-Series Custom Menus "Open Web Page" button: a signing key published as a
 * JWKS, and the signed link the POS opens (the sale's parameters, then `exp`, `kid`, `alg` and an RS256
 * `signature`, base64url, over the URL with every other query parameter sorted by name).
 */
export class PosButtonSigner {
  readonly kid = 'fake-lightspeed-1';
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** The URL the POS opens when staff press the button configured with `buttonUrl` on sale `saleId`. */
  signedUrl(
    buttonUrl: string,
    click: {
      accountId: string;
      saleId: string;
      customerId?: string;
      employeeId?: string;
      shopId?: string;
      registerId?: string;
      returnUrl?: string;
      ttlSeconds?: number;
      now?: number;
    },
  ): string {
    const url = new URL(buttonUrl);
    const params: Array<[string, string]> = [
      ...url.searchParams,
      ['type', 'sale'],
      ['accountID', click.accountId],
      ['saleID', click.saleId],
      ['customerID', click.customerId ?? '0'],
      ['employeeID', click.employeeId ?? '1'],
      ['shopID', click.shopId ?? '1'],
      ['registerID', click.registerId ?? '1'],
      ['returnURL', click.returnUrl ?? `https://us.merchantos.com/register.php?sale_id=${click.saleId}`],
      ['exp', String(Math.floor((click.now ?? Date.now()) / 1000) + (click.ttlSeconds ?? 300))],
      ['kid', this.kid],
      ['alg', 'RS256'],
    ];
    const query = params
      .map(([name, value]): [string, string] => [encodeURIComponent(name), encodeURIComponent(value)])
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const signed = `${url.protocol}//${url.host}${url.pathname}?${query}`;
    const signature = sign('RSA-SHA256', Buffer.from(signed, 'utf8'), this.privateKey).toString('base64url');
    return `${signed}&signature=${signature}`;
  }
}
