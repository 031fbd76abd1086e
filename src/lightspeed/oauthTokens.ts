import axios from 'axios';
import { z } from 'zod';
import { LightspeedRequestError, LightspeedUnavailableError } from './errors.js';

/**
 * What both token endpoints answer to an authorization-code exchange. X-Series gives `expires` (a unix
 * time) and `expires_in`; R-Series `expires_in` (seconds). Either may be missing: the refresh path then
 * learns the expiry from a 401.
 */
export const codeTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
  expires: z.coerce.number().optional(),
  /** X-Series names the store the token is for. */
  domain_prefix: z.string().optional(),
});

export interface CodeTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  domainPrefix: string | null;
}

/**
 * POSTs `grant_type=authorization_code` form-encoded (X-Series wants the parameters in the body, not the
 * URL; R-Series takes a form too). A 4xx is the code's fault (used, expired, wrong verifier): not retried.
 */
export async function exchangeCode(tokenUrl: string, fields: Record<string, string>, now = Date.now()): Promise<CodeTokens> {
  let data: unknown;
  try {
    const res = await axios.post(tokenUrl, new URLSearchParams({ grant_type: 'authorization_code', ...fields }).toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      timeout: 10_000,
      validateStatus: () => true,
      maxRedirects: 0,
    });
    if (res.status >= 500) throw new LightspeedUnavailableError(`token endpoint answered ${res.status}`);
    if (res.status >= 400) throw new LightspeedRequestError(res.status, `token endpoint refused the authorization code (${res.status})`);
    data = res.data;
  } catch (error) {
    if (error instanceof LightspeedRequestError || error instanceof LightspeedUnavailableError) throw error;
    throw new LightspeedUnavailableError(`token endpoint unreachable: ${(error as Error).message}`);
  }
  const parsed = codeTokenSchema.safeParse(data);
  if (!parsed.success) throw new LightspeedRequestError(200, 'token endpoint answered without an access_token');
  const t = parsed.data;
  const expiresAt = t.expires_in !== undefined ? new Date(now + t.expires_in * 1000) : t.expires !== undefined ? new Date(t.expires * 1000) : null;
  return { accessToken: t.access_token, refreshToken: t.refresh_token ?? null, expiresAt, domainPrefix: t.domain_prefix ?? null };
}
