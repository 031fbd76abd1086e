import type { EvaluationContext } from './evaluationContext.js';
import type { LineBreakdown } from './decision.js';
import { reason, type Reason } from './reasons.js';
import type { Sale, SaleLine } from './sale.js';

interface Reversal {
  points: number;
  lines: LineBreakdown[];
  reason: Reason;
}

/**
 * Points a return gives back, from the original sale's stored decision (never today's rules): per line,
 * returned quantity / sold quantity of that line's points, cumulative over earlier returns, and capped
 * so that all returns of a sale never reverse more than it earned.
 */
export function reverseReturnLines(sale: Sale, refundLines: SaleLine[], ctx: EvaluationContext): Reversal {
  const original = ctx.original;
  const originalId = original?.saleId ?? sale.returnFor ?? 'unknown';
  const zero = (why: string, data: Record<string, unknown>): Reversal => ({
    points: 0,
    lines: refundLines.map((l) => refundRow(l, null, 0)),
    reason: reason('RETURN_REVERSED', why, { originalSaleId: originalId, points: 0, ...data }),
  });
  const decision = original?.decision;
  if (!decision) return zero(`return of sale ${originalId} reverses nothing: that sale never earned points here (not seen completed)`, {});
  // What the original's sold lines earned: an exchange's new lines earn in full even where its refund
  // lines took more back, so the net of that decision is not what a return of them can reverse.
  const sold = decision.lines.filter((l) => l.quantity > 0 && l.exemptBy !== 'refund');
  const earned = sold.reduce((sum, l) => sum + Math.max(0, l.points), 0);
  if (earned <= 0) return zero(`return of sale ${originalId} reverses nothing: that sale earned no points`, {});

  let remaining = Math.max(0, earned - (original.reversed.total ?? 0));
  const byLine = new Map(Object.entries(original.reversed.byLine).map(([k, v]) => [k, { ...v }]));

  const lines = refundLines.map((line) => {
    const target =
      sold.find((l) => line.refundsLineId !== undefined && l.lineId === line.refundsLineId) ??
      (line.refundsLineId === undefined ? sold.find((l) => l.productId !== null && l.productId === line.productId) : undefined);
    if (!target || target.points <= 0 || remaining === 0) return refundRow(line, target?.lineId ?? null, 0);
    const prior = byLine.get(target.lineId) ?? { quantity: 0, points: 0 };
    const cumulative = Math.min(target.quantity, prior.quantity + Math.abs(line.quantity));
    const due = Math.floor((target.points * cumulative) / target.quantity);
    const points = Math.min(remaining, Math.max(0, due - prior.points));
    byLine.set(target.lineId, { quantity: cumulative, points: prior.points + points });
    remaining -= points;
    return refundRow(line, target.lineId, points);
  });

  const points = lines.reduce((sum, l) => sum - l.points, 0);
  return {
    points,
    lines,
    reason: reason(
      'RETURN_REVERSED',
      `return of sale ${originalId} reverses ${points} of the ${earned} points it earned (rules v${decision.rulesVersion} as stored)`,
      {
        originalSaleId: originalId,
        points: -points,
        originalPoints: earned,
        alreadyReversed: original.reversed.total,
      },
    ),
  };
}

function refundRow(line: SaleLine, originalLineId: string | null, points: number): LineBreakdown {
  return {
    lineId: line.lineId,
    productId: line.productId,
    quantity: line.quantity,
    net: line.net,
    eligible: 0,
    exemptBy: 'refund',
    points: -points,
    ...(originalLineId ? { refundsLineId: originalLineId } : {}),
  };
}
