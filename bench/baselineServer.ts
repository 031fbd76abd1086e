import express from 'express';

/** Baseline for the ingest case: a bare Express POST route that parses a JSON body and answers 200. */
const app = express();
app.post('/hook', express.json({ limit: '256kb' }), (req, res) => {
  res.json({ ok: typeof req.body === 'object' });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
