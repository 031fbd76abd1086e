import type { Decision } from '../rules/decision.js';
import type { Reason, ReasonCode } from '../rules/reasons.js';
import type { ChecklistId, ChecklistItem, ChecklistStatus, Names } from '../contract/sale.js';

/**
 * "Why did (or didn't) this sale earn points?" as the support FAQ asks it, cause by cause, each judged
 * for this sale from the decision the engine stored. A pure function: the words are the console's
 * (a catalogue per language); this says only which cause passed, failed or waits, and with what.
 */
export const checklistIds = ['customer', 'exemptions', 'rewardsTrigger', 'delay', 'tenders', 'giftCards', 'startDate', 'identity', 'step'] as const;
// The shapes the console reads are the contract's (src/contract/sale.ts): one definition for both sides.
export type { ChecklistId, ChecklistItem, ChecklistStatus, Names };

export interface RewardsRequest {
  source: string;
  requestedBy: string | null;
  requestedAt: string | Date;
}

/** A sale not (yet) judged on its merits: the causes do not apply to it. */
const NOT_JUDGED: ReasonCode[] = ['SALE_NOT_COMPLETED', 'SALE_VOIDED', 'MERCHANT_PAUSED', 'STALE_VERSION', 'RETURN_REVERSED', 'VOID_REVERSED'];

export function buildChecklist(
  decision: Pick<Decision, 'status' | 'points' | 'base' | 'customerId' | 'lines' | 'reasons' | 'availableAt'>,
  context: { names: Names; rewardsRequest: RewardsRequest | null },
): ChecklistItem[] {
  const { names } = context;
  const find = (code: ReasonCode) => decision.reasons.filter((r) => r.code === code);
  const has = (code: ReasonCode) => find(code).length > 0;
  const item = (id: ChecklistId, status: ChecklistStatus, params: Record<string, unknown> = {}, codes: ReasonCode[] = []): ChecklistItem => ({
    id,
    status,
    params,
    codes,
  });
  if (decision.reasons.some((r) => NOT_JUDGED.includes(r.code))) return checklistIds.map((id) => item(id, 'na'));

  const customer = (() => {
    if (has('NO_CUSTOMER')) return item('customer', 'fail', { reason: 'none' }, ['NO_CUSTOMER']);
    const excluded = find('CUSTOMER_SEGMENT_EXCLUDED')[0];
    if (excluded) {
      const segmentId = String(excluded.data.segmentId ?? '');
      return item('customer', 'fail', { segment: names.segments[segmentId] ?? excluded.data.segmentName ?? segmentId, reason: 'segment' }, [
        'CUSTOMER_SEGMENT_EXCLUDED',
      ]);
    }
    if (has('CUSTOMER_EXEMPT')) return item('customer', 'fail', { reason: 'exempt' }, ['CUSTOMER_EXEMPT']);
    return item('customer', 'pass', { customerId: decision.customerId });
  })();

  const exemptReasons = [...find('LINE_PRODUCT_EXEMPT'), ...find('LINE_CATEGORY_EXEMPT')];
  const exemptLines = exemptReasons.map((r: Reason) =>
    r.code === 'LINE_PRODUCT_EXEMPT'
      ? { lineId: r.data.lineId, rule: 'product', name: names.products[String(r.data.productId)] ?? String(r.data.productId) }
      : { lineId: r.data.lineId, rule: 'category', name: names.categories[String(r.data.categoryId)] ?? String(r.data.categoryId) },
  );
  const earningLines = decision.lines.filter((l) => l.exemptBy === null && l.net > 0).length;
  const exemptions = !exemptLines.length
    ? item('exemptions', 'pass')
    : item('exemptions', earningLines > 0 ? 'partial' : 'fail', { lines: exemptLines, count: exemptLines.length }, [
        'LINE_PRODUCT_EXEMPT',
        'LINE_CATEGORY_EXEMPT',
      ]);

  const rewardsTrigger = has('AWAITING_REWARDS_BUTTON')
    ? item('rewardsTrigger', 'fail', {}, ['AWAITING_REWARDS_BUTTON'])
    : context.rewardsRequest
      ? item('rewardsTrigger', 'pass', {
          via: 'button',
          at: new Date(context.rewardsRequest.requestedAt).toISOString(),
          by: context.rewardsRequest.requestedBy ?? context.rewardsRequest.source,
        })
      : item('rewardsTrigger', 'pass', { via: 'auto' });

  const pending = find('PENDING_UNTIL')[0];
  // A sale that earned nothing (for another cause) has no points to wait for: the delay does not apply to it.
  const delay = pending
    ? item(
        'delay',
        'wait',
        { availableAt: pending.data.availableAt, timezone: pending.data.timezone, delayDays: pending.data.delayDays, points: pending.data.points },
        ['PENDING_UNTIL'],
      )
    : decision.points <= 0
      ? item('delay', 'na', { reason: 'nothingEarned' })
      : item('delay', 'pass');

  const tender = find('TENDER_EXCLUDED')[0];
  const tenders = tender
    ? item('tenders', 'partial', { excluded: tender.data.excluded, shareBasisPoints: tender.data.shareBasisPoints }, ['TENDER_EXCLUDED'])
    : item('tenders', 'pass');
  const giftCardCount = find('LINE_GIFT_CARD').length;
  const giftCards = giftCardCount ? item('giftCards', 'partial', { count: giftCardCount }, ['LINE_GIFT_CARD']) : item('giftCards', 'pass');
  const before = find('BEFORE_START_DATE')[0];
  const startDate = before
    ? item('startDate', 'fail', { saleDate: before.data.saleDate, startDate: before.data.startDate }, ['BEFORE_START_DATE'])
    : item('startDate', 'pass');
  const identity = has('MISSING_IDENTITY') ? item('identity', 'fail', {}, ['MISSING_IDENTITY']) : item('identity', 'pass');
  const below = find('BELOW_STEP')[0] ?? find('NOTHING_ELIGIBLE')[0];
  const step = below ? item('step', 'fail', { base: below.data.base, stepAmount: below.data.stepAmount }, [below.code]) : item('step', 'pass');

  return [customer, exemptions, rewardsTrigger, delay, tenders, giftCards, startDate, identity, step];
}
