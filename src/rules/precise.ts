/**
 * Line amounts at the precision Lightspeed sends them: X-Series carries 5 decimals ("234.69565"), so a
 * line is kept in 1/100000 of the currency unit, an integer (1000 per minor unit). Summing lines rounded
 * to the cent first over-credits many-line sales; the engine sums these and rounds once.
 */
export const PRECISE_PER_MINOR = 1000;

/** Precise units → minor units, rounding half away from zero (as `toMinor` does at the border). */
export function preciseToMinor(precise: number): number {
  const abs = Math.abs(precise);
  const q = Math.floor(abs / PRECISE_PER_MINOR);
  const minor = abs - q * PRECISE_PER_MINOR >= PRECISE_PER_MINOR / 2 ? q + 1 : q;
  return precise < 0 && minor !== 0 ? -minor : minor;
}

/** A line's net in precise units: as sent when the border kept it, else its minor units scaled. */
export const linePrecise = (line: { net: number; netPrecise?: number | undefined }): number => line.netPrecise ?? line.net * PRECISE_PER_MINOR;
