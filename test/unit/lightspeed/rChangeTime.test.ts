import { describe, expect, it } from 'vitest';
import { rChangeTime } from '../../../src/lightspeed/r/changeTime.js';
import { rSaleSchema } from '../../../src/lightspeed/r/schemas.js';

describe("an R-Series sale's change time", () => {
  it('reads updatetime (API reference) and updateTime (the Sales tutorial), then timeStamp', () => {
    expect(rChangeTime({ updatetime: '2026-11-20T15:04:11+00:00', timeStamp: '2020-01-01T00:00:00Z' })).toBe(Date.parse('2026-11-20T15:04:11Z'));
    expect(rChangeTime({ updateTime: '2016-11-10T13:51:54+00:00', timeStamp: '2016-11-10T13:00:00+00:00' })).toBe(Date.parse('2016-11-10T13:51:54Z'));
    expect(rChangeTime({ updatetime: 'garbage', timeStamp: '2016-11-10T13:00:00+00:00' })).toBe(Date.parse('2016-11-10T13:00:00Z'));
    expect(rChangeTime({})).toBeNaN();
  });

  it('a sale with none readable is refused by name (a malformed sale the worker records), not read as version NaN', () => {
    const parsed = rSaleSchema.safeParse({ saleID: '9', updatetime: 'garbage' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['updatetime'], message: expect.stringContaining('no readable change time') });
  });
});
