import { dropOldPayloads } from '../src/inbox/payloadRetention.js';
import { salesDeps } from '../workers/index.js';
import { applyGenerated } from './applyGenerated.js';
import { benchMerchant, inProcess, seedCatalog, type CaseEnv } from './inProcess.js';
import { round } from './stats.js';

const MB = 2 ** 20;

interface TableSize {
  table: string;
  rows: number;
  tableBytes: number;
  indexBytes: number;
}

/**
 * Bytes per sale, and table and index size per million sales: sales of the bench's realistic shape
 * (two lines, a customer, a payment: the webhook's `register_sale`) are stored and applied by the
 * worker's own code on a schema of their own, then every table is measured after VACUUM and divided by
 * the sales. Then retention drops every payload (as it would PAYLOAD_RETENTION_DAYS later) and the inbox
 * is measured again: after VACUUM (the space is reusable for new rows, the file is not shorter) and after
 * VACUUM FULL (the size a table under retention converges to).
 */
export async function bytes(env: CaseEnv) {
  const sales = Math.max(2_000, Math.round(20_000 * env.scale));
  const ctx = await inProcess(env, 'bytes');
  try {
    await benchMerchant(ctx, 'bytes', env.fakeUrl);
    await seedCatalog(ctx, 'bytes', 50);
    const applied = await applyGenerated(salesDeps(ctx), { merchantId: 'bytes', first: 0, count: sales, batch: ctx.config.SALES_BATCH_MAX, idPrefix: 'b' });
    if (applied !== sales) throw new Error(`bytes: ${applied} of ${sales} sales applied`);

    const sizes = async (): Promise<TableSize[]> => {
      const { rows } = await ctx.pool.query<{ table: string; rows: string; table_bytes: string; index_bytes: string }>(
        `SELECT c.relname AS table, c.reltuples::bigint AS rows, pg_table_size(c.oid) AS table_bytes, pg_indexes_size(c.oid) AS index_bytes
           FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname <> 'pgmigrations'
          ORDER BY pg_total_relation_size(c.oid) DESC`,
      );
      return rows.map((r) => ({ table: r.table, rows: Number(r.rows), tableBytes: Number(r.table_bytes), indexBytes: Number(r.index_bytes) }));
    };
    const vacuum = async (full = false) => {
      const { rows } = await ctx.pool.query<{ relname: string }>(
        `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'`,
      );
      for (const r of rows) await ctx.pool.query(`VACUUM ${full ? 'FULL ' : ''}ANALYZE ${r.relname}`);
    };
    const payloadBytes = async () =>
      Number((await ctx.pool.query<{ b: string }>(`SELECT coalesce(sum(pg_column_size(payload)), 0) AS b FROM sale_events`)).rows[0]!.b) / sales;
    const total = (t: TableSize[]) => t.reduce((s, x) => s + x.tableBytes + x.indexBytes, 0);
    const inbox = (t: TableSize[]) => t.find((x) => x.table === 'sale_events')!;

    // As written: after VACUUM, with the space the one update of each inbox row and decision left behind
    // (free for the next rows, so a growing table reuses it). Compacted (VACUUM FULL): the live data, what
    // the per-million figures extrapolate.
    await vacuum();
    const written = await sizes();
    await vacuum(true);
    const before = await sizes();
    const payloadBefore = await payloadBytes();
    // As the retention job would run once every payload is older than the retention (100 days on).
    const run = await dropOldPayloads(ctx.pool, { days: 90, now: new Date(Date.now() + 100 * 86_400_000), maxBatches: Number.MAX_SAFE_INTEGER });
    if (run.dropped !== sales) throw new Error(`bytes: retention dropped ${run.dropped} of ${sales} payloads`);
    await ctx.pool.query(`VACUUM ANALYZE sale_events`);
    const afterVacuum = await sizes();
    await ctx.pool.query(`VACUUM FULL ANALYZE sale_events`);
    const afterFull = await sizes();

    const perSale = (b: number) => round(b / sales, 0);
    const perMillionMb = (b: number) => round(((b / sales) * 1e6) / MB, 0);
    const both = (t: TableSize) => t.tableBytes + t.indexBytes;
    return {
      sales,
      bytesPerSale: {
        allTablesAsWritten: perSale(total(written)),
        allTablesBefore: perSale(total(before)),
        allTablesAfterRetention: perSale(total(afterFull)),
        payloadColumnBefore: round(payloadBefore, 0),
        payloadColumnAfter: round(await payloadBytes(), 0),
        saleEventsAsWritten: perSale(both(inbox(written))),
        saleEventsBefore: perSale(both(inbox(before))),
        saleEventsAfterVacuum: perSale(both(inbox(afterVacuum))),
        saleEventsAfterVacuumFull: perSale(both(inbox(afterFull))),
      },
      retention: { dropped: run.dropped, batches: run.batches },
      /**
       * Compacted, before retention, per million sales, for the tables that grow with sales (at least one
       * row per sale; customers grow with customers, merchants and reference data with merchants).
       */
      perMillionSalesMb: Object.fromEntries(
        before
          .filter((t) => t.rows >= 0.9 * sales)
          .map((t) => {
            const w = written.find((x) => x.table === t.table)!;
            return [
              t.table,
              {
                rowsPerSale: round(t.rows / sales, 2),
                table: perMillionMb(t.tableBytes),
                indexes: perMillionMb(t.indexBytes),
                asWritten: perMillionMb(both(w)),
              },
            ];
          }),
      ),
      saleEventsAfterRetentionPerMillionMb: { table: perMillionMb(inbox(afterFull).tableBytes), indexes: perMillionMb(inbox(afterFull).indexBytes) },
      totalPerMillionSalesMb: { asWritten: perMillionMb(total(written)), before: perMillionMb(total(before)), afterRetention: perMillionMb(total(afterFull)) },
    };
  } finally {
    await ctx.close();
  }
}
