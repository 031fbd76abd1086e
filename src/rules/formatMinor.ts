/**
 * Integer minor units as a decimal string with two digits ("-12.05"), by integer arithmetic: money is
 * never a float, not even on its way into a message or a CSV cell.
 */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
