import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPollState, recordPollRun } from '../../../src/polling/store/pollState.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await createXMerchant(ctx.pool, {});
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('the last outage of polling, kept after recovery (what the Operations page shows)', () => {
  it('none before any failure', async () => {
    await recordPollRun(ctx.pool, 'acme', null);
    expect((await getPollState(ctx.pool, 'acme')).lastOutage).toBeNull();
  });

  it('opens at the first failure, counts the next ones, closes at the first success and stays after it', async () => {
    await recordPollRun(ctx.pool, 'acme', 'Lightspeed answered 500 for /api/2.0/sales');
    await recordPollRun(ctx.pool, 'acme', 'Lightspeed answered 500 for /api/2.0/sales');
    const during = await getPollState(ctx.pool, 'acme');
    expect(during.lastOutage).toMatchObject({ endedAt: null, failures: 2, lastError: 'Lightspeed answered 500 for /api/2.0/sales' });
    await recordPollRun(ctx.pool, 'acme', '/api/2.0/sales: timeout of 15000ms exceeded');
    await recordPollRun(ctx.pool, 'acme', null);
    const after = await getPollState(ctx.pool, 'acme');
    expect(after.lastError).toBeNull();
    expect(after.consecutiveFailures).toBe(0);
    expect(after.lastOutage).toMatchObject({ failures: 3, lastError: '/api/2.0/sales: timeout of 15000ms exceeded' });
    expect(after.lastOutage!.startedAt.getTime()).toBe(during.lastOutage!.startedAt.getTime());
    expect(after.lastOutage!.endedAt!.getTime()).toBeGreaterThanOrEqual(after.lastOutage!.startedAt.getTime());
    // More successes change nothing; a new failure opens a new outage.
    await recordPollRun(ctx.pool, 'acme', null);
    expect((await getPollState(ctx.pool, 'acme')).lastOutage).toMatchObject({ failures: 3 });
    await recordPollRun(ctx.pool, 'acme', 'Lightspeed answered 502 for /api/2.0/sales');
    expect((await getPollState(ctx.pool, 'acme')).lastOutage).toMatchObject({
      endedAt: null,
      failures: 1,
      lastError: 'Lightspeed answered 502 for /api/2.0/sales',
    });
  });
});
