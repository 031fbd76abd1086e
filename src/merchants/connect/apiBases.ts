import type { Config } from '../../config.js';

type Bases = Pick<Config, 'X_CONNECT_API_BASE' | 'R_CONNECT_API_BASE'>;

/**
 * The X-Series API base of a store being connected: Lightspeed's `https://<prefix>.retail.lightspeed.app`,
 * or X_CONNECT_API_BASE with `{domain_prefix}` filled in (the local fake serves `/x/<prefix>`). The prefix
 * was validated as one DNS label before it gets here.
 */
export function xConnectBase(config: Bases, domainPrefix: string): string {
  return config.X_CONNECT_API_BASE ? config.X_CONNECT_API_BASE.replace('{domain_prefix}', domainPrefix) : `https://${domainPrefix}.retail.lightspeed.app`;
}

/** The `apiBaseUrl` a newly connected merchant is stored with: none (Lightspeed's hosts) unless configured. */
export function connectApiBase(config: Bases, store: { series: 'x' | 'r'; domainPrefix?: string | undefined }): { apiBaseUrl?: string } {
  if (store.series === 'x' && config.X_CONNECT_API_BASE && store.domainPrefix) return { apiBaseUrl: xConnectBase(config, store.domainPrefix) };
  if (store.series === 'r' && config.R_CONNECT_API_BASE) return { apiBaseUrl: config.R_CONNECT_API_BASE };
  return {};
}
