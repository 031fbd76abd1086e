import type { LookupFunction } from 'node:net';
import { Pool } from 'undici';

/** The address the SSRF check approved for an endpoint's host, connected to as is. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * One keep-alive connection pool per endpoint (undici: at a thousand deliveries a second its request path
 * costs about a third less CPU than node:http's, and a new TCP/TLS connection per delivery would cost far
 * more), holding at most the endpoint's own in-flight slots: a pool shared by host would let one hanging
 * endpoint take the connections of another on the same host (two merchants' receivers at one SaaS).
 * Connections go to the checked address only (the pool's lookup answers it, so Host and the TLS server
 * name stay the URL's and a DNS answer that changed cannot redirect them). A pool is replaced when its
 * endpoint's URL or checked address changes, and dropped with the delivery worker.
 */
export class EndpointAgents {
  private readonly pools = new Map<number, { key: string; pool: Pool }>();

  constructor(private readonly connections: number) {}

  for(endpointId: number, url: URL, target: CheckedAddress): Pool {
    const key = `${url.origin}@${target.address}`;
    const held = this.pools.get(endpointId);
    if (held?.key === key) return held.pool;
    if (held) void held.pool.destroy().catch(() => undefined);
    const lookup: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };
    const pool = new Pool(url.origin, { connections: this.connections, pipelining: 1, connect: { lookup } });
    this.pools.set(endpointId, { key, pool });
    return pool;
  }

  /** An endpoint disabled or deleted: its connections go now. */
  drop(endpointId: number): void {
    void this.pools
      .get(endpointId)
      ?.pool.destroy()
      .catch(() => undefined);
    this.pools.delete(endpointId);
  }

  close(): void {
    for (const { pool } of this.pools.values()) void pool.destroy().catch(() => undefined);
    this.pools.clear();
  }
}
