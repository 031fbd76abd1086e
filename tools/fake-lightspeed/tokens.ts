import { randomBytes } from 'node:crypto';

/**
 * Access and refresh tokens as Lightspeed handles them: an access token lives `accessTtlSeconds`
 * (24 h on X-Series; R-Series says to read `expires_in`), every refresh rotates the refresh token and the
 * old one stops working. A token the fake never issued is accepted unless `strict` (the bench and demos
 * create merchants with made-up credentials); a token it issued and then expired or replaced is refused
 * (401), so the service's refresh path is exercised.
 */
export class TokenBook {
  private readonly access = new Map<string, { expiresAt: number; retailer: string }>();
  private readonly refresh = new Map<string, { retailer: string; used: boolean; successor?: string }>();
  readonly refused = new Set<string>();

  constructor(
    public accessTtlSeconds = 86_400,
    public strict = false,
  ) {}

  issue(retailer: string, now = Date.now()): { accessToken: string; refreshToken: string; expiresIn: number; expiresAt: number } {
    const accessToken = `fake-at-${randomBytes(12).toString('hex')}`;
    const refreshToken = `fake-rt-${randomBytes(12).toString('hex')}`;
    const expiresAt = now + this.accessTtlSeconds * 1000;
    this.access.set(accessToken, { expiresAt, retailer });
    this.refresh.set(refreshToken, { retailer, used: false });
    return { accessToken, refreshToken, expiresIn: this.accessTtlSeconds, expiresAt };
  }

  /** `grant_type=refresh_token`: null when the refresh token was already used (rotation) or, if strict, unknown. */
  rotate(refreshToken: string, retailer: string, now = Date.now()): ReturnType<TokenBook['issue']> | null {
    const known = this.refresh.get(refreshToken);
    if (this.refused.has(refreshToken)) return null;
    if (known?.used || (!known && this.strict)) return null;
    // The access tokens issued with the old refresh token stay valid until they expire, as on Lightspeed.
    const issued = this.issue(known?.retailer ?? retailer, now);
    this.refresh.set(refreshToken, { retailer: known?.retailer ?? retailer, used: true, successor: issued.refreshToken });
    return issued;
  }

  /**
   * Whether a client still holding this refresh token lost the answer of the refresh that spent it: the
   * token was rotated and the token it was rotated into was never presented (a process killed between
   * Lightspeed's answer and its own commit). Lightspeed revokes the old token as it issues the new one,
   * so only a reconnection recovers that store; the drills tell this apart from a store flagged over a
   * passing failure (its stored token would be unspent) or two refreshes racing (it would hold the new one).
   */
  lostAnswer(refreshToken: string): boolean {
    const known = this.refresh.get(refreshToken);
    return !!known?.used && !!known.successor && !this.refresh.get(known.successor)?.used;
  }

  /** Marks an access token as expired now (to demonstrate the service's refresh on 401). */
  expire(accessToken: string): void {
    this.access.set(accessToken, { expiresAt: 0, retailer: this.access.get(accessToken)?.retailer ?? '' });
  }

  /** The store (X domain prefix or R account id) a token the fake issued belongs to. */
  storeOf(header: string | undefined): string | null {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    return (token && this.access.get(token)?.retailer) || null;
  }

  /** Whether a bearer token may call the API now. */
  accepts(header: string | undefined, now = Date.now()): boolean {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    if (!token) return false;
    if (this.refused.has(token)) return false;
    const issued = this.access.get(token);
    if (issued) return issued.expiresAt > now;
    return !this.strict;
  }
}
