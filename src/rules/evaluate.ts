import { formatMinor } from './formatMinor.js';
import type { EvaluationContext } from './evaluationContext.js';
import type { Decision, LineBreakdown } from './decision.js';
import { allocate, pointsFor } from './points.js';
import { reason, type Reason } from './reasons.js';
import type { Rules } from './rules.js';
import type { Sale, SaleLine } from './sale.js';
import { reverseReturnLines } from './returns.js';
import { linePrecise, preciseToMinor } from './precise.js';
import { excludedPart, formatShare, shareBasisPoints, tenderShare, type TenderShare } from './tenderShare.js';
import { addLocalDays, localDate, localDateTime } from './time.js';

const row = (
  line: SaleLine,
  eligible: number,
  exemptBy: LineBreakdown['exemptBy'],
  points: number,
  withheld?: { exemptId: string; withheldPoints: number },
): LineBreakdown => ({
  lineId: line.lineId,
  productId: line.productId,
  quantity: line.quantity,
  net: line.net,
  eligible,
  exemptBy,
  points,
  ...(line.refundsLineId ? { refundsLineId: line.refundsLineId } : {}),
  ...(withheld ?? {}),
});

/** A refund line gives points back; everything else is judged for earning. */
export const isRefundLine = (sale: Sale, line: SaleLine): boolean => line.refundsLineId !== undefined || (sale.returnFor !== undefined && line.quantity < 0);

/**
 * Decides what one sale version is worth, and why. Pure: the clock, the button state, names and the
 * original sale's stored decision all come in `ctx`.
 */
export function evaluate(sale: Sale, rules: Rules, ctx: EvaluationContext): Decision {
  const head = {
    saleId: sale.saleId,
    saleVersion: sale.version,
    rulesVersion: rules.version,
    customerId: sale.customer?.id ?? null,
    returnFor: sale.returnFor ?? null,
  };

  if (sale.state === 'open') {
    return {
      ...head,
      status: 'none',
      points: 0,
      availableAt: null,
      base: 0,
      lines: sale.lines.map((l) => row(l, 0, null, 0)),
      reasons: [reason('SALE_NOT_COMPLETED', `sale ${sale.saleId} is not completed yet; points are decided when it is`, { state: sale.state })],
    };
  }

  if (sale.state === 'voided') {
    // Returns already took back part of the credit: the sale keeps that much so that, with its
    // returns, it nets to zero; the void reverses the rest.
    const kept = Math.min(ctx.returnedPoints, Math.max(0, ctx.alreadyCredited));
    const reversed = ctx.alreadyCredited - kept;
    const reasons =
      reversed !== 0
        ? [
            reason(
              'VOID_REVERSED',
              kept > 0
                ? `sale ${sale.saleId} was voided; of the ${ctx.alreadyCredited} points it had, its returns already took back ${kept}, the other ${reversed} are reversed`
                : `sale ${sale.saleId} was voided; the ${ctx.alreadyCredited} points it had are reversed`,
              { points: -reversed, ...(kept > 0 ? { alreadyReturned: kept } : {}) },
            ),
          ]
        : [reason('SALE_VOIDED', `sale ${sale.saleId} was voided; it earns nothing`, {})];
    return {
      ...head,
      status: reversed !== 0 ? 'reversed' : 'none',
      points: kept,
      availableAt: null,
      base: 0,
      lines: sale.lines.map((l) => row(l, 0, null, 0)),
      reasons,
    };
  }

  const completedAt = sale.completedAt ?? ctx.now;
  const reasons: Reason[] = [];
  const refundLines = sale.lines.filter((l) => isRefundLine(sale, l));
  const earnLines = sale.lines.filter((l) => !isRefundLine(sale, l));

  const reversal = refundLines.length ? reverseReturnLines(sale, refundLines, ctx) : null;
  if (reversal) reasons.push(reversal.reason);

  // A return that arrived before its original is applied to it once the original earns (the ledger
  // evaluates the waiting return again): the original earns as if it had come first.
  const earn = earnLines.length ? judgeEarning(sale, earnLines, rules, ctx, completedAt) : null;
  if (earn) reasons.push(...earn.reasons);
  const moved = customerChanged(sale, ctx);
  if (moved) reasons.unshift(moved);

  const earned = earn?.points ?? 0;
  const reversed = reversal?.points ?? 0;
  const points = earned - reversed;
  const lines = [...(earn?.lines ?? []), ...(reversal?.lines ?? [])];
  const base = earn?.base ?? 0;

  // New lines earn on their own schedule, whatever the refund lines of the same sale (an exchange)
  // take back from the original at once: the reasons and availableAt speak of the earned points.
  // Calendar days in the merchant's zone: "after 7 days" lands on the local date 7 days on, DST or not.
  const availableAt =
    earned > 0 ? (rules.delayDays > 0 ? addLocalDays(completedAt, rules.delayDays, ctx.timezone) : new Date(completedAt).toISOString()) : null;
  const pending = availableAt !== null && rules.delayDays > 0 && Date.parse(availableAt) > Date.parse(ctx.now);
  if (pending) {
    reasons.push(
      reason(
        'PENDING_UNTIL',
        `${earned} points are pending until ${localDateTime(availableAt, ctx.timezone)} (${ctx.timezone}; rewarded ${rules.delayDays} days after the sale, rules v${rules.version})`,
        {
          points: earned,
          availableAt,
          availableOn: localDate(availableAt, ctx.timezone),
          timezone: ctx.timezone,
          delayDays: rules.delayDays,
        },
      ),
    );
  }
  if (points < 0 || (points === 0 && reversed > 0)) {
    return { ...head, status: 'reversed', points, availableAt: availableAt ?? completedAt, base, lines, reasons };
  }
  if (earned > 0) {
    if (pending) return { ...head, status: 'pending', points, availableAt, base, lines, reasons };
    reasons.push(reason('CREDITED', `${earned} points credited for ${formatMinor(base)} of eligible purchases`, { points: earned, base }));
    return { ...head, status: 'credited', points, availableAt, base, lines, reasons };
  }
  if (reasons.length === 0) {
    // Nothing else spoke (no lines, or lines that total nothing positive: a coupon, a free item): say so,
    // so that every decision explains itself.
    const eligible = earn?.eligibleBeforeShare ?? 0;
    reasons.push(
      reason(
        'NOTHING_ELIGIBLE',
        earnLines.length === 0
          ? `sale ${sale.saleId} has no lines that could earn points`
          : `sale ${sale.saleId} earns nothing: its lines come to ${formatMinor(eligible)} before tax, nothing to earn points on`,
        { lines: earnLines.length, base: eligible, stepAmount: rules.earn.stepAmount },
      ),
    );
  }
  return { ...head, status: 'none', points: 0, availableAt: null, base, lines, reasons };
}

/** The sale names another customer than the one holding its points: they are reversed (and go to the new one). */
function customerChanged(sale: Sale, ctx: EvaluationContext): Reason | null {
  const held = ctx.creditedTo;
  const to = sale.customer?.id ?? null;
  if (!held || held.points === 0 || held.customerId === to) return null;
  const from = held.customerId;
  const message = to
    ? `sale ${sale.saleId} now names customer ${to} instead of customer ${from}: the ${held.points} points customer ${from} had for it are reversed, and customer ${to} gets what the sale earns`
    : `sale ${sale.saleId} no longer names customer ${from}: the ${held.points} points customer ${from} had for it are reversed`;
  return reason('CUSTOMER_CHANGED', message, { fromCustomerId: from, toCustomerId: to, points: held.points });
}

interface Earning {
  points: number;
  base: number;
  /** The eligible lines' total before the tenders' share is taken off. */
  eligibleBeforeShare: number;
  lines: LineBreakdown[];
  reasons: Reason[];
}

function judgeEarning(sale: Sale, lines: SaleLine[], rules: Rules, ctx: EvaluationContext, completedAt: string): Earning {
  const reasons = [...customerGates(sale, rules, ctx), ...saleGates(sale, rules, ctx, completedAt)];
  const blocked = reasons.length > 0;

  const exemptProducts = new Set(rules.exemptions.productIds);
  const exemptCategories = new Set(rules.exemptions.categoryIds);
  const classified = lines.map((line) => {
    if (line.isGiftCard) {
      reasons.push(reason('LINE_GIFT_CARD', `line ${line.lineId} sells a gift card, which never earns points`, { lineId: line.lineId }));
      return { line, exemptBy: 'gift_card' as const, exemptId: null };
    }
    if (line.productId !== null && exemptProducts.has(line.productId)) {
      const name = ctx.names.products[line.productId];
      reasons.push(
        reason(
          'LINE_PRODUCT_EXEMPT',
          `line ${line.lineId}: product ${line.productId}${name ? ` '${name}'` : ''} is exempt from points by rules v${rules.version}`,
          {
            lineId: line.lineId,
            productId: line.productId,
            net: line.net,
          },
        ),
      );
      return { line, exemptBy: 'product' as const, exemptId: line.productId };
    }
    const category = line.categoryPath.find((id) => exemptCategories.has(id));
    if (category !== undefined) {
      const name = ctx.names.categories[category];
      reasons.push(
        reason(
          'LINE_CATEGORY_EXEMPT',
          `line ${line.lineId}: category ${category}${name ? ` '${name}'` : ''} (and everything under it) is exempt from points by rules v${rules.version}`,
          {
            lineId: line.lineId,
            categoryId: category,
            net: line.net,
          },
        ),
      );
      return { line, exemptBy: 'category' as const, exemptId: category };
    }
    return { line, exemptBy: null, exemptId: null };
  });

  // Summed at the payload's precision and rounded once: rounding each line first over-credits.
  const linesPrecise = classified.reduce((sum, c) => sum + (c.exemptBy ? 0 : linePrecise(c.line)), 0);
  const linesTotal = preciseToMinor(linesPrecise);
  const returnedCredit = sale.lines.filter((l) => isRefundLine(sale, l)).reduce((sum, l) => sum - l.net, 0);
  const share = tenderShare(sale.payments, rules.tenders.excluded, returnedCredit);
  const base = Math.max(0, preciseToMinor(linesPrecise - excludedPart(linesPrecise, share)));
  const reducedBy = Math.max(0, linesTotal - base);
  if (share.excludedTotal > 0) {
    const paid = Object.entries(share.excluded)
      .map(([kind, amount]) => `${formatMinor(amount)} by ${kind.replace('_', ' ')}`)
      .join(', ');
    const basisPoints = shareBasisPoints(share);
    reasons.push(
      reason(
        'TENDER_EXCLUDED',
        `${paid} of the ${formatMinor(share.paid)} paid (${formatShare(basisPoints)}) does not earn points; the eligible amount ${formatMinor(linesTotal)} before tax is reduced by that share, ${formatMinor(reducedBy)}`,
        { excluded: share.excluded, paid: share.paid, shareBasisPoints: basisPoints, eligibleBeforeShare: linesTotal, reducedBy },
      ),
    );
  }

  const segment = sale.customer?.segmentId ?? null;
  const multiplier = segment !== null ? (rules.customerSegments.multipliers[segment] ?? 1) : 1;
  const { steps, points: computed } = pointsFor(base, rules.earn, multiplier);
  if (!blocked && base > 0 && steps === 0) {
    reasons.push(
      reason('BELOW_STEP', `eligible amount ${formatMinor(base)} is below the ${formatMinor(rules.earn.stepAmount)} needed for a point`, {
        base,
        stepAmount: rules.earn.stepAmount,
      }),
    );
  }
  const points = blocked ? 0 : computed;
  const shares = allocate(
    points,
    classified.map((c) => (c.exemptBy ? 0 : linePrecise(c.line))),
  );
  const withheld = withheldByExemptions(classified, share, rules, multiplier, points, blocked);
  return {
    points,
    base,
    eligibleBeforeShare: linesTotal,
    reasons,
    lines: classified.map((c, i) =>
      row(
        c.line,
        c.exemptBy ? 0 : c.line.net,
        c.exemptBy,
        shares[i]!,
        c.exemptId !== null ? { exemptId: c.exemptId, withheldPoints: withheld[i]! } : undefined,
      ),
    ),
  };
}

/**
 * What the sale's product and category exemptions cost the customer, per line (0 on other lines): the
 * points the sale would earn were those lines eligible (same tenders' share, step, rounding and multiplier;
 * gift cards stay exempt) minus what it earns, split over the exempt lines as earned points are split over
 * eligible ones, so the parts add up to the sale's total. A gate that blocks the sale (no customer, a
 * customer excluded, the rewards button) withholds the points itself: the exemptions then cost nothing.
 */
function withheldByExemptions(
  classified: Array<{ line: SaleLine; exemptBy: LineBreakdown['exemptBy'] }>,
  share: TenderShare,
  rules: Rules,
  multiplier: number,
  earned: number,
  blocked: boolean,
): number[] {
  const rule = (c: { exemptBy: LineBreakdown['exemptBy'] }) => c.exemptBy === 'product' || c.exemptBy === 'category';
  if (blocked || !classified.some(rule)) return classified.map(() => 0);
  const withoutRules = classified.reduce((sum, c) => sum + (c.exemptBy === null || rule(c) ? linePrecise(c.line) : 0), 0);
  const base = Math.max(0, preciseToMinor(withoutRules - excludedPart(withoutRules, share)));
  const total = Math.max(0, pointsFor(base, rules.earn, multiplier).points - earned);
  return allocate(
    total,
    classified.map((c) => (rule(c) ? linePrecise(c.line) : 0)),
  );
}

function customerGates(sale: Sale, rules: Rules, ctx: EvaluationContext): Reason[] {
  const customer = sale.customer;
  if (!customer) return [reason('NO_CUSTOMER', `sale ${sale.saleId} has no customer attached, so there is nobody to credit`, {})];
  const out: Reason[] = [];
  if (customer.exempt && rules.respectLightspeedLoyalty) {
    out.push(
      reason(
        'CUSTOMER_EXEMPT',
        `customer ${customer.id} has Lightspeed's loyalty switch off, and rules v${rules.version} respect Lightspeed's loyalty switch; their balance is kept`,
        { customerId: customer.id, respectLightspeedLoyalty: true },
      ),
    );
  }
  if (customer.segmentId !== null && rules.customerSegments.excluded.includes(customer.segmentId)) {
    const name = ctx.names.segments[customer.segmentId];
    const kind = sale.series === 'r' ? 'customer type' : 'customer group';
    out.push(
      reason(
        'CUSTOMER_SEGMENT_EXCLUDED',
        `${kind} ${customer.segmentId}${name ? ` '${name}'` : ''} is excluded by rules v${rules.version}; the customer's balance is kept`,
        {
          customerId: customer.id,
          segmentId: customer.segmentId,
          segmentName: name ?? null,
        },
      ),
    );
  }
  if (rules.requireIdentity && !customer.email && !customer.mobile) {
    out.push(
      reason('MISSING_IDENTITY', `customer ${customer.id} has neither an email nor a mobile number, which rules v${rules.version} require`, {
        customerId: customer.id,
      }),
    );
  }
  return out;
}

function saleGates(sale: Sale, rules: Rules, ctx: EvaluationContext, completedAt: string): Reason[] {
  if (rules.autoRewards.enabled) {
    const startDate = rules.autoRewards.startDate ?? localDate(ctx.merchantCreatedAt, ctx.timezone);
    const saleDate = localDate(completedAt, ctx.timezone);
    if (saleDate < startDate) {
      return [
        reason('BEFORE_START_DATE', `sale completed on ${saleDate} (${ctx.timezone}), before rewards started on ${startDate}`, {
          saleDate,
          startDate,
          timezone: ctx.timezone,
        }),
      ];
    }
    return [];
  }
  if (!ctx.rewardsRequested) {
    return [
      reason('AWAITING_REWARDS_BUTTON', `autorewards are off (rules v${rules.version}): sale ${sale.saleId} earns once the rewards button is pressed for it`, {
        autoRewards: false,
      }),
    ];
  }
  return [];
}
