import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from './queue/queues.js';
import type { Db } from './db/pool.js';

export type Metrics = ReturnType<typeof createMetrics>;

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics(queues: Queues, db: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'loyalty_queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const queue of queues.all()) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized').catch(() => null);
        if (!counts) continue;
        for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
      }
    },
  });

  new Gauge({
    name: 'loyalty_inbox_lag_seconds',
    help: 'Age of the oldest inbox event not yet processed',
    registers: [registry],
    async collect() {
      const { rows } = await db
        .query<{ lag: number | null }>(`SELECT extract(epoch FROM now() - min(received_at))::float8 AS lag FROM sale_events WHERE processed_at IS NULL`)
        .catch(() => ({ rows: [{ lag: null }] }));
      this.set(rows[0]?.lag ?? 0);
    },
  });

  new Gauge({
    name: 'loyalty_merchants_needing_reauth',
    help: 'Merchants whose Lightspeed token refresh failed',
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM merchants WHERE needs_reauth`).catch(() => ({ rows: [{ n: 0 }] }));
      this.set(rows[0]?.n ?? 0);
    },
  });

  new Gauge({
    name: 'loyalty_poll_sales_found_total',
    help: 'Sales the Lightspeed poll put in the inbox, per merchant',
    labelNames: ['merchant'],
    registers: [registry],
    async collect() {
      const { rows } = await db
        .query<{ merchant_id: string; sales_found: number }>(`SELECT merchant_id, sales_found::int FROM poll_state`)
        .catch(() => ({ rows: [] }));
      for (const r of rows) this.set({ merchant: r.merchant_id }, r.sales_found);
    },
  });

  new Gauge({
    name: 'loyalty_poll_flagged',
    help: '1 when a merchant cannot be polled (repeated failures or re-authorization needed)',
    labelNames: ['merchant'],
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ merchant_id: string; flagged: boolean }>(`SELECT merchant_id, flagged FROM poll_state`).catch(() => ({ rows: [] }));
      for (const r of rows) this.set({ merchant: r.merchant_id }, r.flagged ? 1 : 0);
    },
  });

  new Gauge({
    name: 'loyalty_poll_last_success_seconds',
    help: 'Unix time of the last successful poll, per merchant',
    labelNames: ['merchant'],
    registers: [registry],
    async collect() {
      const { rows } = await db
        .query<{ merchant_id: string; at: number | null }>(`SELECT merchant_id, extract(epoch FROM last_success_at)::float8 AS at FROM poll_state`)
        .catch(() => ({ rows: [] }));
      for (const r of rows) if (r.at !== null) this.set({ merchant: r.merchant_id }, r.at);
    },
  });

  const webhooks = new Counter({
    name: 'loyalty_webhooks_total',
    help: 'Webhook deliveries by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });

  return { registry, webhooks };
}
