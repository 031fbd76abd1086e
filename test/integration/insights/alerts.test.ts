import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetectorPass } from '../../../src/insights/alerts/detectorPass.js';
import { merchantsToExamine } from '../../../src/insights/store/detectorFigures.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { serviceApp } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
// 12:00 in Montreal on Saturday 2026-11-21: the detector compares Friday 2026-11-20 with the four Fridays before.
const NOW = new Date('2026-11-21T17:00:00Z');
const FRIDAYS = ['2026-10-23', '2026-10-30', '2026-11-06', '2026-11-13'];

/** Rollup rows as the upkeep writes them: `sales` of `cause` on `day` at `register`. */
async function rollup(merchantId: string, day: string, cause: string, sales: number, register = 'reg-1', withCustomer = sales) {
  await ctx.pool.query(
    `INSERT INTO insight_rollups (merchant_id, day, outlet_id, register_id, cashier_id, cause, sales, with_customer, points, pending, reversed)
     VALUES ($1, $2, 'o', $3, 'c', $4, $5, $6, 0, 0, 0)
     ON CONFLICT (merchant_id, day, outlet_id, register_id, cashier_id, cause) DO UPDATE SET sales = excluded.sales, with_customer = excluded.with_customer`,
    [merchantId, day, register, cause, sales, withCustomer],
  );
  // The coarse rollups the detector reads, summed from the fine one as the upkeep keeps them, and the change noted.
  await ctx.pool.query(`DELETE FROM insight_days WHERE merchant_id = $1 AND day = $2`, [merchantId, day]);
  await ctx.pool.query(`DELETE FROM insight_attach WHERE merchant_id = $1 AND day = $2`, [merchantId, day]);
  await ctx.pool.query(
    `INSERT INTO insight_days (merchant_id, day, cause, sales, with_customer, points, pending, reversed)
     SELECT merchant_id, day, cause, sum(sales), sum(with_customer), 0, 0, 0 FROM insight_rollups WHERE merchant_id = $1 AND day = $2 GROUP BY 1, 2, 3`,
    [merchantId, day],
  );
  await ctx.pool.query(
    `INSERT INTO insight_attach (merchant_id, day, dimension, id, sales, with_customer)
     SELECT merchant_id, day, v.dimension, v.id, sum(sales), sum(with_customer)
       FROM insight_rollups CROSS JOIN LATERAL (VALUES ('outlet', outlet_id), ('register', register_id), ('cashier', cashier_id)) AS v (dimension, id)
      WHERE merchant_id = $1 AND day = $2 AND cause NOT IN ('RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED') GROUP BY 1, 2, 3, 4`,
    [merchantId, day],
  );
  await ctx.pool.query(
    `INSERT INTO insight_detector_due AS q (merchant_id, day) VALUES ($1, $2) ON CONFLICT (merchant_id, day) DO UPDATE SET changes = q.changes + 1`,
    [merchantId, day],
  );
}
const alerts = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT kind, subject, status, resolved_by FROM insight_alerts WHERE merchant_id = $1 ORDER BY id`, [merchantId])).rows;
const audits = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT action, actor FROM audit_log WHERE merchant_id = $1 AND entity = 'insight_alert' ORDER BY id`, [merchantId])).rows;

beforeAll(async () => {
  ctx = await createTestContext();
  app = serviceApp(ctx);
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('insights alerts', () => {
  it('autorewards turned off: the earning rate drop and the cause jump open once (naming the rules version), are acknowledged, and resolve when the condition clears', async () => {
    await createXMerchant(ctx.pool, { id: 'drop', domainPrefix: 'drop' });
    await saveRules(ctx.pool, 'drop', rulesSchema.parse({ autoRewards: { enabled: false } }), 'Alex Admin');
    for (const day of FRIDAYS) {
      await rollup('drop', day, 'CREDITED', 27);
      await rollup('drop', day, 'NO_CUSTOMER', 3);
    }
    await rollup('drop', '2026-11-20', 'CREDITED', 8);
    await rollup('drop', '2026-11-20', 'AWAITING_REWARDS_BUTTON', 22);

    await runDetectorPass(ctx.pool, NOW);
    await runDetectorPass(ctx.pool, NOW);
    expect(await alerts('drop')).toEqual([
      { kind: 'CAUSE_SHARE_JUMP', subject: 'AWAITING_REWARDS_BUTTON', status: 'open', resolved_by: null },
      { kind: 'EARNING_RATE_DROP', subject: '', status: 'open', resolved_by: null },
    ]);
    const viewer = await ctx.token('viewer', 'drop');
    const listed = await request(app).get('/admin/api/merchants/drop/alerts').set('Authorization', `Bearer ${viewer}`).expect(200);
    const byKind = (kind: string) => listed.body.find((a: { kind: string }) => a.kind === kind);
    expect(byKind('CAUSE_SHARE_JUMP').evidence).toMatchObject({
      cause: 'AWAITING_REWARDS_BUTTON',
      sales: 22,
      share: 0.733,
      baseline: 0,
      rulesVersion: 1,
      rulesSavedBy: 'Alex Admin',
    });
    expect(byKind('EARNING_RATE_DROP').evidence).toMatchObject({ rate: 0.267, baseline: 0.9, sales: 30 });
    const rateDrop = byKind('EARNING_RATE_DROP').id;

    const support = await ctx.token('support', 'drop');
    await request(app).post(`/admin/api/merchants/drop/alerts/${rateDrop}/acknowledge`).set('Authorization', `Bearer ${viewer}`).expect(403);
    const acked = await request(app).post(`/admin/api/merchants/drop/alerts/${rateDrop}/acknowledge`).set('Authorization', `Bearer ${support}`).expect(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: expect.stringContaining('support') });
    await request(app).post(`/admin/api/merchants/drop/alerts/${rateDrop}/acknowledge`).set('Authorization', `Bearer ${support}`).expect(404);
    const counts = await request(app).get('/admin/api/alerts').set('Authorization', `Bearer ${viewer}`).expect(200);
    expect(counts.body).toEqual([{ merchantId: 'drop', open: 1, acknowledged: 1 }]);

    // The button gets pressed: Friday's sales earn after all.
    await rollup('drop', '2026-11-20', 'CREDITED', 28);
    await rollup('drop', '2026-11-20', 'AWAITING_REWARDS_BUTTON', 2);
    await runDetectorPass(ctx.pool, NOW);
    expect((await alerts('drop')).map((a) => [a.kind, a.status, a.resolved_by])).toEqual([
      ['CAUSE_SHARE_JUMP', 'resolved', 'system'],
      ['EARNING_RATE_DROP', 'resolved', 'system'],
    ]);
    expect((await audits('drop')).map((a) => a.action)).toEqual(['alert.opened', 'alert.opened', 'alert.acknowledged', 'alert.resolved', 'alert.resolved']);
  });

  it('a small store is not alerted below the minimum number of sales; a merchant may lower it', async () => {
    await createXMerchant(ctx.pool, { id: 'small', domainPrefix: 'small' });
    for (const day of FRIDAYS) await rollup('small', day, 'CREDITED', 5);
    await rollup('small', '2026-11-20', 'NO_CUSTOMER', 5);
    await runDetectorPass(ctx.pool, NOW);
    expect(await alerts('small')).toEqual([]);

    const admin = await ctx.token('admin', 'small');
    await request(app).put('/admin/api/merchants/small/alert-settings').set('Authorization', `Bearer ${admin}`).send({ minSales: 5 }).expect(200);
    await request(app).put('/admin/api/merchants/small/alert-settings').set('Authorization', `Bearer ${admin}`).send({ minSales: 0 }).expect(400);
    await runDetectorPass(ctx.pool, NOW);
    expect((await alerts('small')).map((a) => a.kind)).toEqual(['CAUSE_SHARE_JUMP', 'EARNING_RATE_DROP']);
  });

  it('a register that never attaches customers, webhooks stopped while the poll finds sales, reauthorization resolved by a person stays resolved', async () => {
    await createXMerchant(ctx.pool, { id: 'ops', domainPrefix: 'ops' });
    await rollup('ops', '2026-11-19', 'NO_CUSTOMER', 25, 'reg-9', 0);
    await rollup('ops', '2026-11-19', 'CREDITED', 40, 'reg-1');
    await ctx.pool.query(`INSERT INTO insight_intake (merchant_id, day, source, delay_bucket, sales) VALUES ('ops', '2026-11-21', 'poll', 3, 6)`);
    await ctx.pool.query(`UPDATE merchants SET needs_reauth = true, needs_reauth_reason = 'refresh token revoked' WHERE id = 'ops'`);
    await runDetectorPass(ctx.pool, NOW);
    expect((await alerts('ops')).map((a) => [a.kind, a.subject])).toEqual([
      // Cashier c rang both registers: 40 of 65 sales with a customer is above the threshold.
      ['ATTACH_RATE_LOW', 'register:reg-9'],
      ['REAUTH_NEEDED', ''],
      ['WEBHOOKS_STOPPED', ''],
    ]);
    // A person resolves the reauthorization alert: it does not reopen on the next pass.
    const support = await ctx.token('support', 'ops');
    const id = (await ctx.pool.query(`SELECT id FROM insight_alerts WHERE merchant_id = 'ops' AND kind = 'REAUTH_NEEDED'`)).rows[0].id;
    await request(app).post(`/admin/api/merchants/ops/alerts/${id}/resolve`).set('Authorization', `Bearer ${support}`).expect(200);
    await runDetectorPass(ctx.pool, NOW);
    expect((await alerts('ops')).filter((a) => a.kind === 'REAUTH_NEEDED').map((a) => a.status)).toEqual(['resolved']);
  });

  it('a pass looks only at merchants whose figures changed since the last one, or whose changed day has just ended', async () => {
    await createXMerchant(ctx.pool, { id: 'quiet', domainPrefix: 'quiet' });
    const examined = async (now: Date) => (await merchantsToExamine(ctx.pool, now, new Date(0), 1_000)).merchantIds.includes('quiet');
    expect(await examined(NOW)).toBe(false);
    // A sale today (Saturday in Montreal): looked at once, then not again until something changes.
    await rollup('quiet', '2026-11-21', 'CREDITED', 3);
    expect(await examined(NOW)).toBe(true);
    await runDetectorPass(ctx.pool, NOW);
    expect(await examined(NOW)).toBe(false);
    await rollup('quiet', '2026-11-21', 'CREDITED', 4);
    expect(await examined(NOW)).toBe(true);
    await runDetectorPass(ctx.pool, NOW);
    expect(await examined(NOW)).toBe(false);
    // Sunday: Saturday is now the day compared, so it is looked at once more, then done.
    const sunday = new Date(NOW.getTime() + 86_400_000);
    expect(await examined(sunday)).toBe(true);
    await runDetectorPass(ctx.pool, sunday);
    expect(await examined(sunday)).toBe(false);
    expect((await ctx.pool.query(`SELECT count(*)::int AS n FROM insight_detector_due WHERE merchant_id = 'quiet'`)).rows[0].n).toBe(0);
  });
});
