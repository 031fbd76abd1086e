import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { createRedis } from '../src/queue/connections.js';

/**
 * Baseline for the pipeline case: a BullMQ worker doing one INSERT ... ON CONFLICT DO NOTHING per job,
 * concurrency 10, same Redis and Postgres. Prints {jobsPerSec, rssMb}.
 */
async function main(): Promise<void> {
  const jobs = Number(process.env.JOBS ?? 20_000);
  const prefix = process.env.QUEUE_PREFIX!;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline (id text PRIMARY KEY)`);
  const run = Date.now().toString(36);
  const producer = createRedis(process.env.REDIS_URL!, 'worker');
  const queue = new Queue('baseline', { connection: producer, prefix });
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'j', data: { id: `${run}-${i + k}` }, opts: { removeOnComplete: true } })),
    );
  }
  let done = 0;
  const started = Date.now();
  const finished = new Promise<number>((resolve) => {
    const worker = new Worker(
      'baseline',
      async (job) => {
        await pool.query(`INSERT INTO bench_baseline (id) VALUES ($1) ON CONFLICT DO NOTHING`, [job.data.id]);
      },
      { connection: createRedis(process.env.REDIS_URL!, 'worker'), prefix, concurrency: 10 },
    );
    worker.on('completed', () => {
      done += 1;
      if (done === jobs) resolve(Date.now());
    });
  });
  const end = await finished;
  process.stdout.write(`${JSON.stringify({ jobsPerSec: jobs / ((end - started) / 1000), rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
  process.exit(0);
}

void main();
