/** "3 min", "2 h 5 min": how long the oldest sale still to process has waited. */
export function formatLag(since: string | null | undefined, now = Date.now()): string | null {
  if (!since) return null;
  const minutes = Math.max(0, Math.round((now - Date.parse(since)) / 60_000));
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
