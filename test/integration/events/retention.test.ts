import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropOldEvents } from '../../../src/events/retention.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

// The outbox's retention: old events whose deliveries are over go, with their delivery log, in batches;
// anything still pending, undispatched or recent stays.
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await createXMerchant(ctx.pool, { id: 'keep', domainPrefix: 'keep' });
});
afterAll(async () => ctx.cleanup());

/** One event for customer `c`, `ageDays` old, dispatched or not, with one delivery per status given. */
async function event(label: string, ageDays: number, dispatched: boolean, deliveries: Array<'pending' | 'delivered' | 'failed'>, endpoint: number) {
  await ctx.pool.query(`SELECT events_emit('keep', 'points.adjusted', $1, 'c', NULL, '{}'::jsonb)`, [label]);
  const { rows } = await ctx.pool.query<{ seq_id: number }>(
    `UPDATE outbound_events SET occurred_at = now() - $2 * interval '1 day', dispatched_at = CASE WHEN $3 THEN now() END, body = CASE WHEN $3 THEN '{}' END
      WHERE source = $1 RETURNING seq_id::int`,
    [label, ageDays, dispatched],
  );
  for (const status of deliveries)
    await ctx.pool.query(`INSERT INTO webhook_deliveries (event_seq, endpoint_id, status) VALUES ($1, $2, $3)`, [rows[0]!.seq_id, endpoint, status]);
}

describe('outbox retention', () => {
  it('deletes events older than the setting whose deliveries are over, with their deliveries, in batches; keeps the rest and the sequence', async () => {
    const endpoints = (
      await ctx.pool.query<{ id: number }>(
        `INSERT INTO webhook_endpoints (merchant_id, url, secret) VALUES ('keep', 'http://a/', 's'), ('keep', 'http://b/', 's') RETURNING id::int`,
      )
    ).rows.map((r) => r.id);
    const [a, b] = endpoints as [number, number];
    await event('old-delivered', 40, true, ['delivered'], a);
    await event('old-failed', 40, true, ['failed'], a);
    await event('old-no-endpoint', 35, true, [], a);
    await event('old-delivered-twice', 45, true, ['delivered'], a);
    await ctx.pool.query(
      `INSERT INTO webhook_deliveries (event_seq, endpoint_id, status) SELECT seq_id, $1, 'delivered' FROM outbound_events WHERE source = 'old-delivered-twice'`,
      [b],
    );
    await event('old-one-pending', 40, true, ['delivered'], a);
    await ctx.pool.query(
      `INSERT INTO webhook_deliveries (event_seq, endpoint_id, status) SELECT seq_id, $1, 'pending' FROM outbound_events WHERE source = 'old-one-pending'`,
      [b],
    );
    await event('old-undispatched', 40, false, [], a);
    await event('recent-delivered', 10, true, ['delivered'], a);

    const run = await dropOldEvents(ctx.pool, { days: 30, batchSize: 2 });
    expect(run).toEqual({ deleted: 4, batches: 3, more: false });
    const left = await ctx.pool.query(`SELECT source FROM outbound_events WHERE merchant_id = 'keep' ORDER BY source`);
    expect(left.rows.map((r) => r.source)).toEqual(['old-one-pending', 'old-undispatched', 'recent-delivered']);
    // The delivery log went with its events: only the kept events' deliveries remain.
    const deliveries = await ctx.pool.query(
      `SELECT o.source, d.status FROM webhook_deliveries d JOIN outbound_events o ON o.seq_id = d.event_seq ORDER BY 1, 2`,
    );
    expect(deliveries.rows).toEqual([
      { source: 'old-one-pending', status: 'delivered' },
      { source: 'old-one-pending', status: 'pending' },
      { source: 'recent-delivered', status: 'delivered' },
    ]);
    expect((await ctx.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries`)).rows[0].n).toBe(3);
    // A second run finds nothing; a bounded run says when it left more.
    expect(await dropOldEvents(ctx.pool, { days: 30 })).toEqual({ deleted: 0, batches: 1, more: false });
    expect(await dropOldEvents(ctx.pool, { days: 5, batchSize: 1, maxBatches: 1 })).toEqual({ deleted: 1, batches: 1, more: true });
    // 0 keeps everything.
    expect(await dropOldEvents(ctx.pool, { days: 0 })).toEqual({ deleted: 0, batches: 0, more: false });
    // Numbers never restart: the customer's next event continues the sequence.
    await ctx.pool.query(`SELECT events_emit('keep', 'points.adjusted', 'next', 'c', NULL, '{}'::jsonb)`);
    expect((await ctx.pool.query(`SELECT customer_seq::int FROM outbound_events WHERE source = 'next'`)).rows[0].customer_seq).toBe(8);
  });
});
