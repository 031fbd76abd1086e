/**
 * Loaded into every service process of `npm run soak` with `node --import` (NODE_OPTIONS), so that the
 * service itself needs no hook: every 10 s it appends one JSON line to `$SOAK_PROBE_DIR/<pid>.jsonl`
 * with the process's RSS and V8 heap and the event-loop delay p99 over those 10 s.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.SOAK_PROBE_DIR;
if (dir) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const file = path.join(dir, `${process.pid}.jsonl`);
  setInterval(() => {
    const memory = process.memoryUsage();
    const line = {
      at: Date.now(),
      role: process.env.SOAK_ROLE ?? process.env.ROLE ?? 'node',
      rssMb: Math.round((memory.rss / 1048576) * 10) / 10,
      heapUsedMb: Math.round((memory.heapUsed / 1048576) * 10) / 10,
      loopP99Ms: Math.round((histogram.percentile(99) / 1e6) * 10) / 10,
    };
    histogram.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 10_000).unref();
}
