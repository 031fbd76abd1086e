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

/** Decimal places of a precise amount: X-Series sends 5 ("234.69565"); see src/rules/precise.ts. */
const PRECISE_DECIMALS = 5;

/**
 * A decimal amount as an integer in 1/100000 of the currency unit (the payload's precision), rounding half
 * away from zero at the sixth decimal, on the digits: lines are summed at this precision and rounded once.
 */
export function toPrecise(value: Decimal): number {
  const text = typeof value === 'number' ? value.toFixed(8) : value.trim();
  const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: ${text}`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const digits = fraction.padEnd(PRECISE_DECIMALS + 1, '0');
  let precise = Number(whole || '0') * 10 ** PRECISE_DECIMALS + Number(digits.slice(0, PRECISE_DECIMALS));
  if (Number(digits[PRECISE_DECIMALS]) >= 5) precise += 1;
  if (!Number.isSafeInteger(precise)) throw new Error(`amount out of range: ${text}`);
  return sign === '-' && precise !== 0 ? -precise : precise;
}

/** A precise unit price times a quantity, both read as decimals, rounded half away from zero (BigInt). */
export function preciseTimes(price: Decimal, quantity: Decimal): number {
  const scale = 10n ** BigInt(PRECISE_DECIMALS);
  const product = BigInt(toPrecise(price)) * BigInt(toPrecise(quantity));
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + scale / 2n) / scale;
  return Number(negative ? -rounded : rounded);
}

/** Quantities may be fractional (weighed goods); they are not money, so a number is fine. */
export function toQuantity(value: Decimal): number {
  return typeof value === 'number' ? value : Number(value);
}
