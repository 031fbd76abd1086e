import type { Db } from './pool.js';

/**
 * What the service needs of the PostgreSQL server's settings and warns about at start (it still runs).
 * Autovacuum keeps the statistics that the hot statements' plans are made from: without it nothing is
 * analysed, each connection keeps the plans it was given while the tables were empty (sequential scans
 * of sale_state, insight_sales and decisions), and the soak at 100 sales/s fell behind after 4 minutes;
 * one manual ANALYZE drained it (README, "Soak").
 */
export function serverSettingWarnings(settings: { autovacuum: string }): string[] {
  const warnings: string[] = [];
  if (settings.autovacuum !== 'on')
    warnings.push(
      'PostgreSQL autovacuum is off: statistics go stale and the workers slow down as the tables grow; turn it on (autovacuum = on), or run ANALYZE regularly',
    );
  return warnings;
}

export async function readServerSettings(db: Db): Promise<{ autovacuum: string }> {
  const { rows } = await db.query<{ autovacuum: string }>(`SELECT current_setting('autovacuum') AS autovacuum`);
  return rows[0]!;
}
