import cluster from 'node:cluster';
import express from 'express';

/**
 * Baseline for the ingest case: a bare Express POST route that parses a JSON body and answers 200.
 * PROCESSES > 1 runs it as the service's API_PROCESSES does (node:cluster, one port), so the ratio
 * compares like with like.
 */
const processes = Number(process.env.PROCESSES ?? 1);
if (processes > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < processes; i += 1) {
    cluster.fork().once('listening', (address) => {
      listening += 1;
      if (listening === processes) process.stdout.write(`listening ${address.port}\n`);
    });
  }
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  const app = express();
  app.post('/hook', express.json({ limit: '256kb' }), (req, res) => {
    res.json({ ok: typeof req.body === 'object' });
  });
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    if (processes === 1) process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
