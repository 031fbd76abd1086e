import type { Config } from '../../config.js';
import { exchangeCode, type CodeTokens } from '../oauthTokens.js';

/**
 * X-Series authorize page: `response_type=code`, `client_id`, `redirect_uri` (exactly the registered one),
 * `state`, and the scopes asked for (https://x-series-api.lightspeedhq.com/docs/authorization).
 */
export function xAuthorizeUrl(config: Pick<Config, 'X_OAUTH_AUTHORIZE_URL' | 'X_OAUTH_SCOPE'>, clientId: string, redirectUri: string, state: string): string {
  const url = new URL(config.X_OAUTH_AUTHORIZE_URL);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  if (config.X_OAUTH_SCOPE.trim()) url.searchParams.set('scope', config.X_OAUTH_SCOPE.trim());
  return url.toString();
}

/**
 * The store's own token endpoint, `https://<domain_prefix>.retail.lightspeed.app/api/1.0/token`, built only
 * from a prefix the caller validated (src/merchants/connect/domainPrefix.ts); X_OAUTH_TOKEN_URL overrides it (the
 * local fake). Never from apiBaseUrl.
 */
export const xTokenUrl = (config: Pick<Config, 'X_OAUTH_TOKEN_URL'>, domainPrefix: string): string =>
  config.X_OAUTH_TOKEN_URL ?? `https://${domainPrefix}.retail.lightspeed.app/api/1.0/token`;

export function exchangeXCode(
  config: Pick<Config, 'X_OAUTH_TOKEN_URL'>,
  input: { domainPrefix: string; code: string; clientId: string; clientSecret: string; redirectUri: string },
): Promise<CodeTokens> {
  return exchangeCode(xTokenUrl(config, input.domainPrefix), {
    code: input.code,
    client_id: input.clientId,
    client_secret: input.clientSecret,
    redirect_uri: input.redirectUri,
  });
}
