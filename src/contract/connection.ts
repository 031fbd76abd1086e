/** A merchant's Lightspeed connection: GET .../merchants/:id/connection, GET /admin/api/connections, POST .../disconnect. */
export type ConnectionStatus = 'connected' | 'needs_reauth' | 'disconnected' | 'not_connected';

export interface Connection {
  merchantId: string;
  series: 'x' | 'r';
  status: ConnectionStatus;
  needsReauthReason: string | null;
  connectedAt: string | null;
  connectedBy: string | null;
  disconnectedAt: string | null;
  webhookRegistered: boolean;
  /** Where the Connect / Reconnect button goes (the browser follows it to Lightspeed). */
  connectPath: string;
  /** R-Series: the exact URL to paste into the POS "Open Web Page" button (null without PUBLIC_URL). */
  posButtonUrl: string | null;
  posButtonPath: string | null;
}

export type ConnectionSummary = Pick<Connection, 'merchantId' | 'series' | 'status' | 'connectPath'>;
