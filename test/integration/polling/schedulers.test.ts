import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateMerchant } from '../../../src/merchants/store/repo.js';
import { ensurePollSchedulers, pollOffset } from '../../../src/polling/schedulers.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('poll schedulers', () => {
  it('a sweep costs one count while Redis holds every scheduler; repairs everything when it does not; syncs what changed', async () => {
    for (const id of ['m-a', 'm-b', 'm-c']) await createXMerchant(ctx.pool, { id, domainPrefix: id });
    await createRMerchant(ctx.pool, { id: 'r-a', accountId: '777' });

    const first = await ensurePollSchedulers(ctx);
    expect(first).toMatchObject({ repaired: true, synced: 4 });
    const schedulers = await ctx.queues.poll.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual(['poll-m-a', 'poll-m-b', 'poll-m-c', 'poll-r-a']);
    // Spread over the interval, at a spot fixed by the merchant's id.
    const offsets = new Set(schedulers.map((s) => s.offset));
    expect(offsets.size).toBe(4);
    expect(schedulers.find((s) => s.key === 'poll-r-a')).toMatchObject({
      every: ctx.config.R_POLL_EVERY_MS,
      offset: pollOffset('r-a', ctx.config.R_POLL_EVERY_MS),
    });

    expect(await ensurePollSchedulers(ctx)).toEqual({ redisCalls: 1, synced: 0, repaired: false });

    const before = (await ctx.pool.query<{ t: Date }>(`SELECT clock_timestamp() AS t`)).rows[0]!.t;
    await updateMerchant(ctx.pool, 'm-b', { paused: true });
    // One count, then the scheduler of the one merchant changed since: not the others.
    const paused = await ensurePollSchedulers(ctx, before);
    expect(paused).toMatchObject({ repaired: true });
    expect((await ctx.queues.poll.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(['poll-m-a', 'poll-m-c', 'poll-r-a']);

    await ctx.queues.poll.removeJobScheduler('poll-m-c');
    expect(await ensurePollSchedulers(ctx)).toMatchObject({ repaired: true });
    expect((await ctx.queues.poll.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(['poll-m-a', 'poll-m-c', 'poll-r-a']);

    await updateMerchant(ctx.pool, 'm-b', { paused: false });
    await ctx.queues.poll.upsertJobScheduler(
      'poll-m-b',
      { every: ctx.config.X_POLL_EVERY_MS, offset: pollOffset('m-b', ctx.config.X_POLL_EVERY_MS) },
      { name: 'poll', data: { merchantId: 'm-b' } },
    );
    await updateMerchant(ctx.pool, 'm-a', { name: 'renamed' });
    const changed = await ensurePollSchedulers(ctx, before);
    expect(changed).toMatchObject({ repaired: false, synced: 2 });
  });
});
