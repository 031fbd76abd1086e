import type { Decision } from './decision.js';
import { reason, type ReasonCode } from './reasons.js';

/**
 * A decision that is recorded for support but changes no points: a version older than one already
 * applied (STALE_VERSION), or a merchant on pause (MERCHANT_PAUSED).
 */
export function noteDecision(
  sale: { saleId: string; version: number },
  rulesVersion: number,
  code: Extract<ReasonCode, 'STALE_VERSION' | 'MERCHANT_PAUSED'>,
  data: Record<string, unknown>,
): Decision {
  const message =
    code === 'STALE_VERSION'
      ? `version ${sale.version} of sale ${sale.saleId} arrived after version ${String(data.appliedVersion)} was applied; it changes nothing`
      : `the merchant is paused; sale ${sale.saleId} waits and is evaluated when the merchant is resumed`;
  return {
    saleId: sale.saleId,
    saleVersion: sale.version,
    rulesVersion,
    status: 'none',
    points: 0,
    availableAt: null,
    base: 0,
    customerId: null,
    returnFor: null,
    lines: [],
    reasons: [reason(code, message, data)],
  };
}
