import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { applySale, applySales } from '../../../src/ledger/applySale.js';
import { readSaleState } from '../../../src/ledger/store/saleStateRead.js';
import { normalizeXSale, xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';
import { emptyReferenceData } from '../../../src/lightspeed/refs/types.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import type { Merchant } from '../../../src/merchants/store/schema.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { salesDeps } from '../../../workers/index.js';
import { applySaleBatch } from '../../../workers/sales.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';

let ctx: TestContext;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';
const NOW = new Date('2026-11-21T12:00:00Z');

async function merchant(id: string): Promise<Merchant> {
  await createXMerchant(ctx.pool, { id, domainPrefix: id });
  await seedRefs(ctx.pool, id, {
    segments: [['0adaafb3-6583-11e5-fb60-050b7e8c0001', 'Retail']],
    products: [
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', null, false],
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a02', null, false],
    ],
  });
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
  return (await getMerchant(ctx.pool, id))!;
}

/** The closed fixture (49 points for Jane) as sale `saleId`, version `version`. */
const payload = (saleId: string, version: number, mutate: (p: Record<string, unknown>) => void = () => undefined) => {
  const p = structuredClone(closed);
  p.id = saleId;
  p.version = version;
  mutate(p);
  return p;
};
const sale = (merchantId: string, p: Record<string, unknown>) => normalizeXSale(merchantId, xRegisterSaleSchema.parse(p), emptyReferenceData());
const names = { segments: {}, categories: {}, products: {} };
const event = async (merchantId: string, p: Record<string, unknown>) =>
  (await insertSaleEvent(ctx.pool, { merchantId, saleId: String(p.id), version: Number(p.version), source: 'webhook', payload: p })).id;

const earned = async (merchantId: string) =>
  (
    await ctx.pool.query<{ sale_id: string; points: number }>(
      `SELECT sale_id, points FROM ledger_entries WHERE merchant_id = $1 AND kind = 'earn' ORDER BY sale_id`,
      [merchantId],
    )
  ).rows;
const balance = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT available::int, pending::int FROM customers WHERE merchant_id = $1 AND customer_id = $2`, [merchantId, JANE])).rows[0];

beforeAll(async () => {
  ctx = await createTestContext();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('sales applied in batches', () => {
  it('batch conflict: a sale whose state moved after it was read writes nothing, is read again alone and found applied; its neighbours apply', async () => {
    const m = await merchant('conflict');
    const a = sale(m.id, payload('a', 1));
    const stale = await readSaleState(ctx.pool, m.id, 'a');
    // Another worker applies sale a between this batch's read and its write.
    await applySale(ctx.pool, { merchant: m, sale: a, names, eventId: null, now: NOW });
    const results = await applySales(ctx.pool, [
      { merchant: m, sale: a, names, eventId: null, now: NOW, state: stale },
      { merchant: m, sale: sale(m.id, payload('b', 1)), names, eventId: null, now: NOW },
      { merchant: m, sale: sale(m.id, payload('c', 1)), names, eventId: null, now: NOW },
    ]);
    expect(results.map((r) => (r instanceof Error ? r.message : r.outcome))).toEqual(['duplicate', 'applied', 'applied']);
    expect(await earned(m.id)).toEqual([
      { sale_id: 'a', points: 49 },
      { sale_id: 'b', points: 49 },
      { sale_id: 'c', points: 49 },
    ]);
    expect(await balance(m.id)).toEqual({ available: 147, pending: 0 });
  });

  it('batch conflict: two workers applying overlapping batches at once credit each sale once', async () => {
    const m = await merchant('overlap');
    const ids = ['p', 'q', 'r', 's', 't'];
    const events = await Promise.all(ids.map((id) => event(m.id, payload(id, 1))));
    const work = events.map((eventId) => ({ eventId, reevaluate: false, jobId: undefined }));
    // Independent workers (own caches), each handed every job, in different orders.
    const [first, second] = await Promise.all([applySaleBatch(salesDeps(ctx), work), applySaleBatch(salesDeps(ctx), [...work].reverse())]);
    const outcomes = [...first!, ...second!].map((d) => (d.result as { outcome: string } | undefined)?.outcome);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(ids.length);
    expect([...first!, ...second!].every((d) => d.error === undefined)).toBe(true);
    expect(await earned(m.id)).toEqual(ids.map((id) => ({ sale_id: id, points: 49 })));
    expect(await balance(m.id)).toEqual({ available: 49 * ids.length, pending: 0 });
  });

  it('failure isolation: a sale PostgreSQL refuses fails alone, its batch neighbours are credited', async () => {
    const m = await merchant('isolation');
    const good1 = await event(m.id, payload('g1', 1));
    // A line of 90 billion dollars: its points do not fit PostgreSQL's integer, so this sale's write is refused.
    const bad = await event(
      m.id,
      payload('bad', 1, (p) => ((p.register_sale_products as Array<Record<string, unknown>>)[0]!.price_total = '90000000000.00')),
    );
    const good2 = await event(m.id, payload('g2', 1));
    const done = await applySaleBatch(
      salesDeps(ctx),
      [good1, bad, good2].map((eventId) => ({ eventId, reevaluate: false, jobId: undefined })),
    );
    expect(done[0]!.result).toMatchObject({ outcome: 'applied' });
    expect(done[1]!.error).toBeInstanceOf(Error);
    expect(done[1]!.event?.sale_id).toBe('bad');
    expect(done[2]!.result).toMatchObject({ outcome: 'applied' });
    expect(await earned(m.id)).toEqual([
      { sale_id: 'g1', points: 49 },
      { sale_id: 'g2', points: 49 },
    ]);
    const { rows } = await ctx.pool.query(`SELECT sale_id, processed_at IS NOT NULL AS done FROM sale_events WHERE merchant_id = $1 ORDER BY sale_id`, [m.id]);
    expect(rows).toEqual([
      { sale_id: 'bad', done: false },
      { sale_id: 'g1', done: true },
      { sale_id: 'g2', done: true },
    ]);
  });

  it('version order: two versions of one sale in one batch, the newer first in the batch, are applied older then newer (no stale note)', async () => {
    const m = await merchant('order');
    const v1 = await event(m.id, payload('v', 10));
    // Version 11 voids the sale: applied after version 10, it reverses the 49 points.
    const v2 = await event(
      m.id,
      payload('v', 11, (p) => (p.status = 'VOIDED')),
    );
    const done = await applySaleBatch(
      salesDeps(ctx),
      [v2, v1].map((eventId) => ({ eventId, reevaluate: false, jobId: undefined })),
    );
    expect(done.map((d) => (d.result as { outcome: string }).outcome)).toEqual(['applied', 'applied']);
    const { rows } = await ctx.pool.query<{ sale_version: number; status: string; applied: boolean }>(
      `SELECT sale_version::int, status, applied FROM decisions WHERE merchant_id = $1 ORDER BY id`,
      [m.id],
    );
    expect(rows).toEqual([
      { sale_version: 10, status: 'credited', applied: true },
      { sale_version: 11, status: 'reversed', applied: true },
    ]);
    expect((await readSaleState(ctx.pool, m.id, 'v')).appliedVersion).toBe(11);
    expect(await balance(m.id)).toEqual({ available: 0, pending: 0 });
  });
});
