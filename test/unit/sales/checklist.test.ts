import { describe, expect, it } from 'vitest';
import { buildChecklist, type ChecklistItem } from '../../../src/sales/checklist.js';
import { reason, type Reason } from '../../../src/rules/reasons.js';

const names = { segments: { wh: 'Wholesale' }, categories: { rx: 'Dog / Food / Prescription' }, products: { p1: 'Kibble 5 kg' } };
const line = (lineId: string, exemptBy: 'product' | 'category' | null, net = 3000) => ({
  lineId,
  productId: 'p1',
  quantity: 1,
  net,
  eligible: exemptBy ? 0 : net,
  exemptBy,
  points: 0,
});
const decision = (reasons: Reason[], lines = [line('l1', null)], status: 'credited' | 'pending' | 'none' = 'none', points = 0) => ({
  status,
  points,
  base: 0,
  customerId: 'c1',
  availableAt: null,
  lines,
  reasons,
});
const byId = (items: ChecklistItem[]) => Object.fromEntries(items.map((i) => [i.id, `${i.status}${i.params.reason ? `:${String(i.params.reason)}` : ''}`]));

describe('buildChecklist', () => {
  it.each([
    ['no customer', [reason('NO_CUSTOMER', '')], { customer: 'fail:none' }],
    ['customer type excluded, by name', [reason('CUSTOMER_SEGMENT_EXCLUDED', '', { segmentId: 'wh' })], { customer: 'fail:segment' }],
    ['exempt in Lightspeed', [reason('CUSTOMER_EXEMPT', '')], { customer: 'fail:exempt' }],
    ['autorewards off, no button', [reason('AWAITING_REWARDS_BUTTON', '')], { rewardsTrigger: 'fail' }],
    ['pending', [reason('PENDING_UNTIL', '', { availableAt: '2026-12-20T00:00:00Z', delayDays: 30, points: 30 })], { delay: 'wait' }],
    ['before start date', [reason('BEFORE_START_DATE', '', { saleDate: '2025-12-31', startDate: '2026-01-01' })], { startDate: 'fail' }],
    ['identity missing', [reason('MISSING_IDENTITY', '')], { identity: 'fail' }],
    ['below step', [reason('BELOW_STEP', '', { base: 50, stepAmount: 100 })], { step: 'fail' }],
    ['tender excluded', [reason('TENDER_EXCLUDED', '', { excluded: { gift_card: 500 } })], { tenders: 'partial' }],
    ['gift card line', [reason('LINE_GIFT_CARD', '', { lineId: 'l2' })], { giftCards: 'partial' }],
  ] as const)('%s: that cause fails, every other passes', (_name, reasons, expected) => {
    // A cause that leaves points (pending, a tender or a gift card line left out) keeps the sale earning.
    const earns = ['PENDING_UNTIL', 'TENDER_EXCLUDED', 'LINE_GIFT_CARD'].includes(reasons[0]!.code);
    const items = byId(buildChecklist(decision([...reasons], undefined, earns ? 'credited' : 'none', earns ? 30 : 0), { names, rewardsRequest: null }));
    const others: Record<string, string> = earns ? {} : { delay: 'na:nothingEarned' };
    for (const [id, status] of Object.entries(items)) expect(status, id).toBe({ ...others, ...(expected as Record<string, string>) }[id] ?? 'pass');
  });

  it('a sale that earned nothing has no delay to wait for: the delay does not apply (not "✓ no delay is waiting")', () => {
    const items = buildChecklist(decision([reason('CUSTOMER_SEGMENT_EXCLUDED', '', { segmentId: 'wh' })]), { names, rewardsRequest: null });
    expect(items.find((i) => i.id === 'delay')).toMatchObject({ status: 'na', params: { reason: 'nothingEarned' } });
    const credited = buildChecklist(decision([reason('CREDITED', '', { points: 30 })], undefined, 'credited', 30), { names, rewardsRequest: null });
    expect(credited.find((i) => i.id === 'delay')?.status).toBe('pass');
  });

  it('names the exempt category by its path, and says partial when other lines still earn', () => {
    const reasons = [reason('LINE_CATEGORY_EXEMPT', '', { lineId: 'l1', categoryId: 'rx', net: 3000 })];
    const all = buildChecklist(decision(reasons, [line('l1', 'category')]), { names, rewardsRequest: null }).find((i) => i.id === 'exemptions')!;
    expect(all.status).toBe('fail');
    expect(all.params.lines).toEqual([{ lineId: 'l1', rule: 'category', name: 'Dog / Food / Prescription' }]);
    const some = buildChecklist(decision(reasons, [line('l1', 'category'), line('l2', null)]), { names, rewardsRequest: null }).find(
      (i) => i.id === 'exemptions',
    )!;
    expect(some.status).toBe('partial');
  });

  it('a pressed rewards button passes with when and who', () => {
    const items = buildChecklist(decision([reason('CREDITED', '', { points: 30 })]), {
      names,
      rewardsRequest: { source: 'pos', requestedBy: 'pos employee 3', requestedAt: '2026-11-20T18:00:00Z' },
    });
    expect(items.find((i) => i.id === 'rewardsTrigger')).toMatchObject({ status: 'pass', params: { via: 'button', by: 'pos employee 3' } });
  });

  it('a voided or not completed sale is not judged cause by cause', () => {
    for (const code of ['SALE_VOIDED', 'SALE_NOT_COMPLETED', 'MERCHANT_PAUSED'] as const) {
      expect(new Set(buildChecklist(decision([reason(code, '')]), { names, rewardsRequest: null }).map((i) => i.status))).toEqual(new Set(['na']));
    }
  });
});
