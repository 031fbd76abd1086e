import { DOMAIN_PREFIX } from '../store/schema.js';

/**
 * The `domain_prefix` Lightspeed's callback names, checked before it is put into a host name
 * (`https://<prefix>.retail.lightspeed.app`): one DNS label of letters, digits and inner hyphens. A dot,
 * slash, colon, `@`, `%` or anything else (an IP, `evil.com/`, `a..b`, a port, user info) is refused.
 * Returns the prefix in lower case, or null.
 */
export function parseDomainPrefix(raw: unknown): string | null {
  if (typeof raw !== 'string' || !DOMAIN_PREFIX.test(raw)) return null;
  return raw.toLowerCase();
}
