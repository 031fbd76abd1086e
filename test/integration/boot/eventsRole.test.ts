import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../../src/db/pool.js';
import { deleteKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../helpers/context.js';
import { entryRunner } from '../../helpers/entryProcess.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';
import { startReceiver } from '../../helpers/webhookReceiver.js';

// EVENT_DELIVERY=events: the worker role leaves outbound events to ROLE=events processes, so sending
// never takes the sale pipeline's CPU (issue 26's bench). Both roles run as the container runs them.
const stamp = randomBytes(4).toString('hex');
const dbName = `events_role_${stamp}`;
const prefix = `{events-role-${stamp}}`;
const databaseUrl = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
const { run, children } = entryRunner({ databaseUrl, prefix });
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const env = { EVENT_DELIVERY: 'events', WEBHOOK_ALLOW_CIDRS: '127.0.0.1', WEBHOOK_DISPATCH_EVERY_MS: '50' };
let pool: Pool | undefined;
const receiver = await startReceiver();

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await pool?.end();
  await receiver.close();
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

describe('the events role (ROLE=events, EVENT_DELIVERY=events)', () => {
  it('a worker leaves the outbox alone; an events process dispatches and sends it, signed', async () => {
    const worker = run({ ...env, ROLE: 'worker' });
    await worker.line(/worker role started/);
    pool = createPool(databaseUrl, { max: 2 });
    await createXMerchant(pool, { id: 'm1', domainPrefix: 'm1' });
    await pool.query(`INSERT INTO webhook_endpoints (merchant_id, url, secret) VALUES ('m1', $1, $2)`, [receiver.url, SECRET]);
    await pool.query(`SELECT events_emit('m1', 'points.adjusted', 'role:1', NULL, NULL, '{}'::jsonb)`);
    // The worker's dispatcher would take it within 50 ms: two seconds later it is still undispatched.
    await new Promise((r) => setTimeout(r, 2_000));
    const undispatched = await pool.query(`SELECT count(*)::int AS n FROM outbound_events WHERE dispatched_at IS NULL`);
    expect(undispatched.rows[0].n).toBe(1);
    expect(receiver.received).toHaveLength(0);

    const events = run({ ...env, ROLE: 'events' });
    await events.line(/events role started/);
    await waitFor(async () => receiver.received.length >= 1, 30_000, 'the delivery');
    const [delivery] = receiver.received;
    const body = new Webhook(SECRET).verify(delivery!.body, delivery!.headers) as { type: string };
    expect(body.type).toBe('points.adjusted');
    for (const p of [worker, events]) p.child.kill('SIGTERM');
    expect(await events.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  }, 120_000);
});
