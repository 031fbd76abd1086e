import type { AppContext } from '../../context.js';
import { listMerchants } from '../store/repo.js';
import type { Merchant } from '../store/schema.js';
import type { ConnectionBody, ConnectionStatus, ConnectionSummaryBody } from './connectionTypes.js';
import { getConnection, listConnections, type Connection } from './store.js';

/** What the console shows: connected, Reconnect (a refused refresh), disconnected, or never connected. */
export function statusOf(merchant: Pick<Merchant, 'needsReauth' | 'accessToken'>, connection: Pick<Connection, 'status'> | null): ConnectionStatus {
  if (connection?.status === 'disconnected') return 'disconnected';
  if (merchant.needsReauth) return 'needs_reauth';
  return merchant.accessToken !== null ? 'connected' : 'not_connected';
}

/** The path the console's Connect / Reconnect button opens (the browser follows it to Lightspeed). */
export const connectPath = (series: 'x' | 'r', merchantId: string) => `/connect/lightspeed/${series}?merchantId=${encodeURIComponent(merchantId)}`;

export async function connectionView(ctx: Pick<AppContext, 'pool' | 'config'>, merchant: Merchant): Promise<ConnectionBody> {
  const connection = await getConnection(ctx.pool, merchant.id);
  const posButtonPath = `/pos/lightspeed/r/${encodeURIComponent(merchant.id)}/rewards`;
  return {
    merchantId: merchant.id,
    series: merchant.series,
    status: statusOf(merchant, connection),
    needsReauthReason: merchant.needsReauth ? merchant.needsReauthReason : null,
    connectedAt: connection?.connectedAt?.toISOString() ?? null,
    connectedBy: connection?.connectedBy ?? null,
    disconnectedAt: connection?.status === 'disconnected' ? (connection.disconnectedAt?.toISOString() ?? null) : null,
    webhookRegistered: connection?.webhookId != null,
    connectPath: connectPath(merchant.series, merchant.id),
    // R-Series: the exact URL the merchant pastes into the POS "Open Web Page" custom button.
    posButtonUrl: merchant.series === 'r' ? (ctx.config.PUBLIC_URL ? `${ctx.config.PUBLIC_URL.replace(/\/+$/, '')}${posButtonPath}` : null) : null,
    posButtonPath: merchant.series === 'r' ? posButtonPath : null,
  };
}

/** Each visible merchant's status, for the Merchants list (a scoped person sees their merchant only). */
export async function connectionsFor(ctx: Pick<AppContext, 'pool'>, scope: string | null): Promise<ConnectionSummaryBody[]> {
  const merchants = (await listMerchants(ctx.pool)).filter((m) => scope === null || m.id === scope);
  const byId = new Map(
    (
      await listConnections(
        ctx.pool,
        merchants.map((m) => m.id),
      )
    ).map((c) => [c.merchantId, c]),
  );
  return merchants.map((m) => ({ merchantId: m.id, series: m.series, status: statusOf(m, byId.get(m.id) ?? null), connectPath: connectPath(m.series, m.id) }));
}
