// The connection's answers are the contract's (src/contract/connection.ts), which the console compiles against.
export type { Connection as ConnectionBody, ConnectionStatus, ConnectionSummary as ConnectionSummaryBody } from '../../contract/connection.js';
