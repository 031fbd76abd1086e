import { z } from 'zod';

/** Lightspeed sends money as numbers or decimal strings ("234.69565", "-12.5", "0"). */
export const decimalSchema = z.union([
  z.number().finite(),
  z
    .string()
    .trim()
    .regex(/^[-+]?(\d+\.?\d*|\.\d+)$/, 'a decimal number'),
]);
export type Decimal = z.infer<typeof decimalSchema>;

/**
 * A decimal amount as integer minor units (cents), rounding half away from zero at the third decimal.
 * Works on the digits, never through floating-point arithmetic.
 */
export function toMinor(value: Decimal): number {
  // Numbers become their shortest exact decimal text first; toFixed keeps exponents out.
  const text = typeof value === 'number' ? value.toFixed(8) : value.trim();
  const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: ${text}`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const digits = (fraction + '000').slice(0, 3);
  let minor = Number(whole || '0') * 100 + Number(digits.slice(0, 2));
  if (Number(digits[2]) >= 5) minor += 1;
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/** Quantities may be fractional (weighed goods); they are not money, so a number is fine. */
export function toQuantity(value: Decimal): number {
  return typeof value === 'number' ? value : Number(value);
}
