import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { releaseDue } from '../../../src/ledger/release.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { saleJobId } from '../../../src/queue/jobs.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { processSaleJob } from '../../../workers/sales.js';
import { salesDeps } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';

// The outbox writes only what an enabled endpoint could receive (migration 1732600000200): a merchant
// without one pays no outbox rows and no sequence counters; with one, exactly one event per change,
// whatever the number of endpoints, and the customer's sequence only ever grows. No delivery worker
// runs here: these are the triggers' rows, in the change's transaction.
let ctx: TestContext;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';
const saleVersion = Number(closed.version);

async function merchant(id: string, rules: Record<string, unknown> = {}) {
  await createXMerchant(ctx.pool, { id, domainPrefix: id });
  await seedRefs(ctx.pool, id, {
    segments: [['0adaafb3-6583-11e5-fb60-050b7e8c0001', 'Retail']],
    products: [
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', null, false],
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a02', null, false],
    ],
  });
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, ...rules }), 'test');
}

/** The fixture sale, as a new sale (its own id) or as the same version again. */
async function applySale(merchantId: string, saleId: string, version = saleVersion) {
  const payload = { ...closed, id: saleId, version };
  const eventId = (await insertSaleEvent(ctx.pool, { merchantId, saleId, version, source: 'webhook', payload })).id;
  const job = { name: 'sale', data: { eventId }, id: saleJobId(eventId) } as unknown as Job;
  return processSaleJob(salesDeps(ctx), job);
}

async function endpoint(merchantId: string | null, options: { eventTypes?: string[]; enabled?: boolean } = {}): Promise<number> {
  const { rows } = await ctx.pool.query<{ id: number }>(
    `INSERT INTO webhook_endpoints (merchant_id, url, secret, event_types, enabled) VALUES ($1, 'http://127.0.0.1:9/hook', 's', $2, $3) RETURNING id::int`,
    [merchantId, options.eventTypes ?? [], options.enabled ?? true],
  );
  return rows[0]!.id;
}

const outbox = async (merchantId: string) =>
  (
    await ctx.pool.query<{ type: string; source: string; customer_seq: number | null }>(
      `SELECT type, source, customer_seq::int FROM outbound_events WHERE merchant_id = $1 ORDER BY seq_id`,
      [merchantId],
    )
  ).rows;
const sequences = async (merchantId: string) =>
  (await ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_sequences WHERE merchant_id = $1`, [merchantId])).rows[0]!.n;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.cleanup());

describe('the outbox writes only what an endpoint could receive', () => {
  it('a merchant without an endpoint: a credited sale, a release and an adjustment write no outbox row and no sequence counter', async () => {
    await merchant('alone', { delayDays: 30 });
    // Another merchant's endpoint and this merchant's disabled one do not count.
    await merchant('other');
    await endpoint('other');
    await endpoint('alone', { enabled: false });
    expect(await applySale('alone', 's-1')).toMatchObject({ outcome: 'applied' });
    expect(await releaseDue(ctx.pool, 'alone', new Date(Date.now() + 40 * 24 * 3600 * 1000))).toBe(1);
    await ctx.pool.query(`SELECT events_emit('alone', 'alert.opened', 'alert:1:open', NULL, NULL, '{}'::jsonb)`);
    // The ledger moved (the sale earned, was released) ...
    const ledger = await ctx.pool.query(`SELECT kind, status FROM ledger_entries WHERE merchant_id = 'alone'`);
    expect(ledger.rows).toEqual([{ kind: 'earn', status: 'posted' }]);
    // ... and nothing was written for nobody.
    expect(await outbox('alone')).toEqual([]);
    expect(await sequences('alone')).toBe(0);
    expect(await outbox('other')).toEqual([]);
  });

  it('with an endpoint, exactly one event per change, even with the merchant’s and a platform-wide endpoint both wanting it', async () => {
    await merchant('two');
    await endpoint('two');
    await endpoint('two', { eventTypes: ['sale.decided'] });
    expect(await applySale('two', 's-2')).toMatchObject({ outcome: 'applied' });
    const first = await outbox('two');
    expect(first.map((e) => e.type)).toEqual(['sale.decided', 'points.available', 'customer.balance_changed']);
    expect(first.map((e) => e.customer_seq)).toEqual([1, 2, 3]);
    // The same version again (a duplicate delivery): no ledger row, so no event.
    await applySale('two', 's-2');
    expect(await outbox('two')).toEqual(first);
    // Every change has exactly one event, none without its change.
    const check = await ctx.pool.query(
      `SELECT (SELECT count(*) FROM ledger_entries l WHERE l.merchant_id = 'two' AND (SELECT count(*) FROM outbound_events o WHERE o.source = 'entry:' || l.id) <> 1)::int AS entries,
              (SELECT count(*) FROM decisions d WHERE d.merchant_id = 'two' AND d.applied AND (SELECT count(*) FROM outbound_events o WHERE o.source = 'decision:' || d.id) <> 1)::int AS decisions`,
    );
    expect(check.rows[0]).toEqual({ entries: 0, decisions: 0 });
  });

  it('a platform-wide endpoint wants every merchant’s events; one row each, not one per endpoint', async () => {
    // Its own merchants, and the platform-wide endpoint removed after: the other tests' merchants stay alone.
    await merchant('wide-a');
    await merchant('wide-b');
    await endpoint('wide-b');
    const wide = await endpoint(null, { eventTypes: ['sale.decided', 'customer.balance_changed'] });
    try {
      await applySale('wide-a', 's-3');
      await applySale('wide-b', 's-3');
      expect((await outbox('wide-a')).map((e) => e.type)).toEqual(['sale.decided', 'customer.balance_changed']);
      expect((await outbox('wide-b')).map((e) => e.type)).toEqual(['sale.decided', 'points.available', 'customer.balance_changed']);
    } finally {
      await ctx.pool.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [wide]);
    }
  });

  it('only the types an endpoint subscribes to are written; the customer’s sequence keeps growing across disable, enable and new types', async () => {
    await merchant('types');
    const id = await endpoint('types', { eventTypes: ['customer.balance_changed'] });
    await applySale('types', 's-4');
    expect(await outbox('types')).toEqual([expect.objectContaining({ type: 'customer.balance_changed', customer_seq: 1 })]);
    // Disabled: the next sale writes nothing and takes no number.
    await ctx.pool.query(`UPDATE webhook_endpoints SET enabled = false WHERE id = $1`, [id]);
    await applySale('types', 's-5');
    expect(await outbox('types')).toHaveLength(1);
    // Enabled again, every type: numbers go on from where they were, never back.
    await ctx.pool.query(`UPDATE webhook_endpoints SET enabled = true, event_types = '{}' WHERE id = $1`, [id]);
    await applySale('types', 's-6');
    const rows = await outbox('types');
    expect(rows.map((e) => e.type)).toEqual(['customer.balance_changed', 'sale.decided', 'points.available', 'customer.balance_changed']);
    expect(rows.map((e) => e.customer_seq)).toEqual([1, 2, 3, 4]);
    const seq = await ctx.pool.query(`SELECT customer_id, last_seq::int FROM event_sequences WHERE merchant_id = 'types'`);
    expect(seq.rows).toEqual([{ customer_id: JANE, last_seq: 4 }]);
  });

  it('an event written while its change rolls back is gone with it', async () => {
    await merchant('rollback');
    await endpoint('rollback');
    const client = await ctx.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT events_emit('rollback', 'points.adjusted', 'rb:1', 'c1', NULL, '{}'::jsonb)`);
      expect((await client.query(`SELECT count(*)::int AS n FROM outbound_events WHERE merchant_id = 'rollback'`)).rows[0].n).toBe(1);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await outbox('rollback')).toEqual([]);
    expect(await sequences('rollback')).toBe(0);
  });
});
