import type { Rules } from './rules.js';

/** Points for an eligible base, integer arithmetic only. */
export function pointsFor(base: number, earn: Rules['earn'], multiplier = 1): { steps: number; points: number } {
  if (base <= 0) return { steps: 0, points: 0 };
  const steps = earn.rounding === 'up' ? Math.ceil(base / earn.stepAmount) : Math.floor(base / earn.stepAmount);
  const hundredths = Math.round(multiplier * 100);
  return { steps, points: Math.floor((steps * earn.pointsPerStep * hundredths) / 100) };
}

/**
 * Splits `total` over `weights` in proportion, by largest remainder, so the parts sum to `total` exactly.
 * Weights that are not positive get 0.
 */
export function allocate(total: number, weights: number[]): number[] {
  const positive = weights.map((w) => Math.max(0, w));
  const sum = positive.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const exact = positive.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}
