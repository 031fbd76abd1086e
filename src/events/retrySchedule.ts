const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delays before attempts 2, 3, ...: the Standard Webhooks spec's example schedule (exponential-ish,
 * about 3 days in all). After the last one fails the delivery is failed (a person can replay it).
 */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];

/**
 * The delay after failed attempt `attempts` (1-based), with ±20 % jitter so that receivers that failed
 * together are not all retried at the same instant; null when no attempt is left. Pure: `random` in [0, 1).
 */
export function retryDelayMs(attempts: number, random: number): number | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + 0.4 * random));
}
