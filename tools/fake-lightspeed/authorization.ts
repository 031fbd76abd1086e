import { createHash, randomBytes } from 'node:crypto';

type Series = 'x' | 'r';

interface IssuedCode {
  series: Series;
  /** The X domain prefix or the R account id that approved. */
  store: string;
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  expiresAt: number;
  used: boolean;
}

export type AuthorizeAnswer = { location: string } | { status: number; error: string; description: string };
export type RedeemAnswer = { store: string } | { status: number; error: string; description: string };

const refuse = (status: number, error: string, description: string) => ({ status, error, description });

/**
 * The authorization-code half of OAuth as each series documents it. No person clicks here: whoever opens
 * the authorize page approves at once as the store set with `approveAs` (or is refused with
 * `access_denied` when `deny` is set), and is sent back to `redirect_uri` with `code` and `state` (and
 * `domain_prefix` on X-Series). A code is single-use and lives 10 minutes on X-Series (per summaries of
 * the docs), 60 seconds on R-Series; an R-Series code needs the PKCE verifier of its S256 challenge.
 */
export class AuthorizationBook {
  approveAs: Record<Series, string> = { x: 'default', r: '1' };
  deny = false;
  /** When set, only this app may authorize and redeem (and must send this secret). */
  clientId: string | null = null;
  clientSecret: string | null = null;
  codeTtlMs: Record<Series, number> = { x: 10 * 60_000, r: 60_000 };
  private readonly codes = new Map<string, IssuedCode>();

  authorize(series: Series, query: URLSearchParams, now = Date.now()): AuthorizeAnswer {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    const state = query.get('state') ?? '';
    if (query.get('response_type') !== 'code') return refuse(400, 'unsupported_response_type', 'response_type must be code');
    if (!clientId || (this.clientId !== null && clientId !== this.clientId)) return refuse(400, 'invalid_client', 'unknown client_id');
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return refuse(400, 'invalid_request', 'redirect_uri must be an absolute URL');
    }
    if (series === 'x' && state.length < 8) return refuse(400, 'invalid_request', 'state must be at least 8 characters');
    let challenge: string | null = null;
    if (series === 'r') {
      challenge = query.get('code_challenge');
      if (!challenge || query.get('code_challenge_method') !== 'S256')
        return refuse(400, 'invalid_request', 'code_challenge with code_challenge_method=S256 is required');
    }
    if (this.deny) {
      target.searchParams.set('error', 'access_denied');
      if (state) target.searchParams.set('state', state);
      return { location: target.toString() };
    }
    const code = `fake-code-${randomBytes(12).toString('hex')}`;
    const store = this.approveAs[series];
    this.codes.set(code, { series, store, clientId, redirectUri, challenge, expiresAt: now + this.codeTtlMs[series], used: false });
    target.searchParams.set('code', code);
    if (series === 'x') target.searchParams.set('domain_prefix', store);
    if (state) target.searchParams.set('state', state);
    return { location: target.toString() };
  }

  /** `grant_type=authorization_code`: spends the code (a second try fails even if the first did). */
  redeem(series: Series, form: Record<string, string>, now = Date.now()): RedeemAnswer {
    const issued = form.code ? this.codes.get(form.code) : undefined;
    if (!issued || issued.series !== series) return refuse(400, 'invalid_grant', 'unknown authorization code');
    if (issued.used) return refuse(400, 'invalid_grant', 'authorization code already used');
    issued.used = true;
    if (now >= issued.expiresAt) return refuse(400, 'invalid_grant', 'authorization code expired');
    if (form.client_id !== issued.clientId) return refuse(401, 'invalid_client', 'client_id does not match the code');
    if (this.clientSecret !== null && form.client_secret !== this.clientSecret) return refuse(401, 'invalid_client', 'wrong client_secret');
    if (form.redirect_uri !== undefined && form.redirect_uri !== issued.redirectUri)
      return refuse(400, 'invalid_grant', 'redirect_uri does not match the authorize request');
    if (issued.challenge !== null) {
      const verifier = form.code_verifier ?? '';
      if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== issued.challenge)
        return refuse(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return { store: issued.store };
  }
}
