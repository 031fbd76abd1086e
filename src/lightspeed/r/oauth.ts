import axios from 'axios';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { LightspeedRequestError, LightspeedUnavailableError } from '../errors.js';
import { exchangeCode, type CodeTokens } from '../oauthTokens.js';

/**
 * R-Series authorize page with PKCE (https://developers.lightspeedhq.com/retail/authentication/):
 * `response_type=code`, `client_id`, `scope`, `state`, `redirect_uri`, `code_challenge`,
 * `code_challenge_method=S256`. URLSearchParams writes the spaces between scopes as `+`, the separator
 * the R-Series docs show.
 */
export function rAuthorizeUrl(
  config: Pick<Config, 'R_OAUTH_AUTHORIZE_URL' | 'R_OAUTH_SCOPE'>,
  input: { clientId: string; redirectUri: string; state: string; codeChallenge: string },
): string {
  const url = new URL(config.R_OAUTH_AUTHORIZE_URL);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('scope', config.R_OAUTH_SCOPE.trim());
  url.searchParams.set('state', input.state);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** The code lives 60 s: exchanged at once, on the configured token URL only. */
export function exchangeRCode(
  config: Pick<Config, 'R_OAUTH_TOKEN_URL'>,
  input: { code: string; clientId: string; clientSecret: string; redirectUri: string; codeVerifier: string },
): Promise<CodeTokens> {
  return exchangeCode(config.R_OAUTH_TOKEN_URL, {
    code: input.code,
    client_id: input.clientId,
    client_secret: input.clientSecret,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
  });
}

/** `GET /API/V3/Account.json`: `{Account: {accountID, name}}` (an array when the token sees several). */
const accountSchema = z.looseObject({ accountID: z.coerce.string().regex(/^\d{1,18}$/), name: z.string().optional() });
const accountAnswer = z.looseObject({ Account: z.union([accountSchema, z.array(accountSchema).min(1)]) });

export async function fetchRAccount(apiRoot: string, accessToken: string): Promise<{ accountId: string; name: string | null }> {
  const res = await axios.get(`${apiRoot}/API/V3/Account.json`, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
    timeout: 10_000,
    validateStatus: () => true,
    maxRedirects: 0,
  });
  if (res.status >= 500) throw new LightspeedUnavailableError(`Lightspeed answered ${res.status} to Account.json`);
  if (res.status >= 400) throw new LightspeedRequestError(res.status, `Lightspeed answered ${res.status} to Account.json`);
  const parsed = accountAnswer.safeParse(res.data);
  if (!parsed.success) throw new LightspeedRequestError(200, 'unexpected answer to Account.json');
  const account = Array.isArray(parsed.data.Account) ? parsed.data.Account[0]! : parsed.data.Account;
  return { accountId: account.accountID, name: account.name ?? null };
}
