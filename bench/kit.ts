import type { ChildProcess } from 'node:child_process';
import type { Pool } from '../src/db/pool.js';

/** What run.ts lends the cases kept in their own files (the service processes, the load, the checks). */
export interface BenchKit {
  pool: Pool;
  sales: number;
  runs: number;
  prefix: string;
  dbName: string;
  redisUrl: string;
  startService(role: 'api' | 'worker' | 'events', name: string, extra?: Record<string, string>): Promise<ChildProcess>;
  /** Stops a process started by startService. */
  stopService(child: ChildProcess | undefined): Promise<void>;
  merchant(id: string, series: 'x' | 'r'): Promise<void>;
  /** Sends `amount` signed X webhooks for the merchant through the API on its port (50 connections). */
  load(merchantId: string, amount: number): Promise<{ non2xx: number }>;
  waitCredited(merchantId: string, expected: number, timeoutMs: number): Promise<void>;
  latencies(merchantId: string): Promise<{ p50: number; p99: number; first: number; last: number }>;
}
