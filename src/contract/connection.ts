/** A merchant's Lightspeed connection: GET .../merchants/:id/connection, GET /admin/api/connections, POST .../disconnect. */
export type { ConnectionBody as Connection, ConnectionStatus, ConnectionSummaryBody as ConnectionSummary } from '../merchants/connect/connectionTypes.js';
