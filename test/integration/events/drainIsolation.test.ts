import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainEndpoint, type DrainDeps } from '../../../src/events/drainEndpoint.js';
import { EndpointAgents } from '../../../src/events/endpointAgents.js';
import { keyring } from '../../../src/secrets/keyring.js';
import { targetPolicy } from '../../../src/events/targetPolicy.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { startReceiver } from '../../helpers/webhookReceiver.js';

// The sender's per-endpoint slots: a hanging endpoint spends one wave of its own slots and puts the
// rest of its round off; another endpoint on the same host (its own agent) is not held up by it.
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await createXMerchant(ctx.pool, { id: 'iso', domainPrefix: 'iso' });
});
afterAll(async () => ctx.cleanup());

async function endpointWithEvents(url: string, count: number): Promise<number> {
  const id = (
    await ctx.pool.query<{ id: number }>(`INSERT INTO webhook_endpoints (merchant_id, url, secret) VALUES ('iso', $1, $2) RETURNING id::int`, [
      url,
      `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
    ])
  ).rows[0]!.id;
  await ctx.pool.query(
    `WITH e AS (INSERT INTO outbound_events (id, source, merchant_id, type, data, body, dispatched_at)
                SELECT 'evt_' || $1::text || '_' || g, 'src:' || $1::text || ':' || g, 'iso', 'points.adjusted', '{}', '{"n":' || g || '}', now() FROM generate_series(1, $2) g RETURNING seq_id)
     INSERT INTO webhook_deliveries (event_seq, endpoint_id) SELECT seq_id, $1::bigint FROM e`,
    [id, count],
  );
  return id;
}

describe('per-endpoint slots', () => {
  it('a hanging endpoint uses one wave of its slots, defers the rest without counting attempts, and does not hold up another endpoint on the same host', async () => {
    const receiver = await startReceiver((r) => (r.url.endsWith('?hang') ? 'hang' : 204));
    const agents = new EndpointAgents(3);
    try {
      const hangUrl = `${receiver.url}?hang`;
      const hanging = await endpointWithEvents(hangUrl, 10);
      const live = await endpointWithEvents(receiver.url, 20);
      const deps: DrainDeps = {
        pool: ctx.pool,
        ring: keyring(),
        policy: targetPolicy({ production: false, allowCidrs: ['127.0.0.1'] }),
        timeoutMs: 1_500,
        disableAfterMs: 1e12,
        batch: 50,
        parallel: 3,
        agents,
      };
      const deadDrain = drainEndpoint(deps, hanging);
      const liveResult = await drainEndpoint(deps, live);
      expect(liveResult).toMatchObject({ ran: true, attempted: 20, delivered: 20 });
      // Delivered while the dead endpoint's wave was still hanging, unanswered.
      expect(receiver.hanging.size).toBe(3);
      const dead = await deadDrain;
      expect(dead).toMatchObject({ ran: true, attempted: 3, delivered: 0 });
      const rows = (
        await ctx.pool.query<{ attempts: number; later: boolean; error: string | null }>(
          `SELECT attempts, next_attempt_at > now() AS later, error FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id`,
          [hanging],
        )
      ).rows;
      expect(rows.filter((r) => r.attempts === 1 && r.later && /timed out/.test(r.error ?? ''))).toHaveLength(3);
      // The other seven were not sent: still at zero attempts, put off to the first retry time.
      expect(rows.filter((r) => r.attempts === 0 && r.later && r.error === null)).toHaveLength(7);
    } finally {
      agents.close();
      await receiver.close();
    }
  });
});
