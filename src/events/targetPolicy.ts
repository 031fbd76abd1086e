import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where an endpoint may point (SSRF). Production: https only. Everywhere: every address the name resolves
 * to must be public unicast (no loopback, private, link-local such as 169.254.169.254, unique-local,
 * carrier-grade NAT, multicast, reserved), unless it is inside WEBHOOK_ALLOW_CIDRS (tests, on-premise
 * receivers). The sender connects to the address checked here, never resolving again (DNS rebinding).
 */
export interface TargetPolicy {
  httpsOnly: boolean;
  allow: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export type Resolve = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

export class TargetRefused extends Error {
  override name = 'TargetRefused';
  constructor(
    readonly code: 'URL_INVALID' | 'URL_SCHEME' | 'URL_ADDRESS' | 'URL_UNRESOLVED',
    message: string,
  ) {
    super(message);
  }
}

export function targetPolicy(settings: { production: boolean; allowCidrs: string[] }): TargetPolicy {
  return {
    httpsOnly: settings.production,
    allow: settings.allowCidrs.map((c) =>
      c.includes('/') ? ipaddr.parseCIDR(c) : ([ipaddr.parse(c), ipaddr.parse(c).kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]),
    ),
  };
}

/** Whether one resolved address may be called. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as IPv4. */
export function addressAllowed(address: string, policy: TargetPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  if (policy.allow.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return true;
  return ip.range() === 'unicast';
}

/** The URL's syntax and scheme; throws TargetRefused. Credentials in the URL are refused (they would be logged and shown). */
export function checkUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('URL_INVALID', 'the URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:'))
    throw new TargetRefused('URL_SCHEME', policy.httpsOnly ? 'endpoints must use https' : 'endpoints must use http or https');
  if (url.username || url.password) throw new TargetRefused('URL_INVALID', 'the URL may not carry a user name or password');
  return url;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Resolves the URL's host once and returns the address to connect to; throws TargetRefused when any
 * address it resolves to is refused (a name that resolves to a public and a private address is refused).
 */
export async function resolveTarget(url: URL, policy: TargetPolicy, resolve: Resolve = systemResolve): Promise<{ address: string; family: 4 | 6 }> {
  const host = bare(url.hostname);
  let addresses: Array<{ address: string; family: number }>;
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new TargetRefused('URL_UNRESOLVED', `the host ${host} does not resolve`);
    }
  }
  if (!addresses.length) throw new TargetRefused('URL_UNRESOLVED', `the host ${host} does not resolve`);
  const refused = addresses.find((a) => !addressAllowed(a.address, policy));
  if (refused) throw new TargetRefused('URL_ADDRESS', `the host ${host} resolves to ${refused.address}, a loopback, private, link-local or reserved address`);
  return { address: addresses[0]!.address, family: addresses[0]!.family === 6 ? 6 : 4 };
}
