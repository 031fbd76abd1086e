import type { Pool } from '../src/db/pool.js';
import { startEventReceiver } from './eventReceiver.js';

/** What the fault drill adds to its environment so that the workers may deliver to the local receiver. */
export const EVENT_DRILL_ENV = { WEBHOOK_ALLOW_CIDRS: '127.0.0.1', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_DISPATCH_EVERY_MS: '100' };

/**
 * Outbound events in the fault drill (issue 26): a platform-wide endpoint on a local receiver, made
 * through the API before the sales flow; `check` then says whether every ledger change (entry, release,
 * applied decision, balance, claim transition) produced exactly one event (and no event lacks its
 * change), and every event reached the receiver at least once, duplicates only by the same id (the
 * body's id is the header's, and every id received is one event of the outbox), each delivery verified
 * with standardwebhooks. Returns the failures, as the drill's oracle does.
 */
export async function startEventDrill(apiUrl: string, adminToken: string) {
  const receiver = await startEventReceiver();
  const res = await fetch(`${apiUrl}/admin/api/webhook-endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, description: 'fault drill receiver' }),
  });
  if (res.status !== 201) throw new Error(`event drill: creating the endpoint answered ${res.status} ${await res.text()}`);
  receiver.useSecret(((await res.json()) as { secret: string }).secret);

  async function check(pool: Pool, timeoutMs = 180_000): Promise<string[]> {
    const failures: string[] = [];
    // Exactly one event per change, and no event without its change.
    const { rows } = await pool.query<{ what: string; n: number }>(
      `SELECT 'entry without exactly one event' AS what, count(*)::int AS n FROM ledger_entries l
        WHERE (SELECT count(*) FROM outbound_events o WHERE o.source = 'entry:' || l.id) <> 1
       UNION ALL SELECT 'release without exactly one event', count(*)::int FROM ledger_entries l
        WHERE l.released_at IS NOT NULL AND (SELECT count(*) FROM outbound_events o WHERE o.source = 'release:' || l.id) <> 1
       UNION ALL SELECT 'applied decision without exactly one event', count(*)::int FROM decisions d
        WHERE d.applied AND (SELECT count(*) FROM outbound_events o WHERE o.source = 'decision:' || d.id) <> 1
       UNION ALL SELECT 'claim transition without exactly one event', count(*)::int FROM claim_events c
        WHERE (SELECT count(*) FROM outbound_events o WHERE o.source = 'claim_event:' || c.id) <> 1
       UNION ALL SELECT 'event without its change', count(*)::int FROM outbound_events o
        WHERE (o.source LIKE 'entry:%' AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE 'entry:' || l.id = o.source))
           OR (o.source LIKE 'release:%' AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE 'release:' || l.id = o.source AND l.released_at IS NOT NULL))
           OR (o.source LIKE 'decision:%' AND NOT EXISTS (SELECT 1 FROM decisions d WHERE 'decision:' || d.id = o.source AND d.applied))
           OR (o.source LIKE 'claim_event:%' AND NOT EXISTS (SELECT 1 FROM claim_events c WHERE 'claim_event:' || c.id = o.source))
       UNION ALL SELECT 'customer balance not equal to its last balance event', count(*)::int FROM customers c
        WHERE (c.available <> 0 OR c.pending <> 0) AND NOT EXISTS (
          SELECT 1 FROM outbound_events o WHERE o.type = 'customer.balance_changed' AND o.merchant_id = c.merchant_id AND o.customer_id = c.customer_id
             AND o.customer_seq = (SELECT max(customer_seq) FROM outbound_events x WHERE x.type = 'customer.balance_changed' AND x.merchant_id = c.merchant_id AND x.customer_id = c.customer_id)
             AND (o.data ->> 'available')::bigint = c.available AND (o.data ->> 'pending')::bigint = c.pending)`,
    );
    for (const r of rows) if (r.n > 0) failures.push(`events: ${r.n} × ${r.what}`);
    // Every event at the receiver at least once.
    const deadline = Date.now() + timeoutMs;
    let missing: string[] = [];
    for (;;) {
      const { rows: ids } = await pool.query<{ id: string }>(`SELECT id FROM outbound_events`);
      missing = ids.map((r) => r.id).filter((id) => !receiver.counts.has(id));
      if (!missing.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const { rows: total } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_events`);
    // Duplicates only as the same event: every id the receiver got is one event of the outbox (a second
    // event for one change, or a delivery of something never written, would show here or above).
    const { rows: known } = await pool.query<{ id: string }>(`SELECT id FROM outbound_events WHERE id = ANY($1::text[])`, [[...receiver.counts.keys()]]);
    const unknown = [...receiver.counts.keys()].filter((id) => !known.some((k) => k.id === id));
    if (unknown.length) failures.push(`events: ${unknown.length} received that are no event of the outbox (e.g. ${unknown.slice(0, 3).join(', ')})`);
    const duplicates = [...receiver.counts.values()].filter((n) => n > 1).length;
    console.log(
      `chaos: ${total[0]!.n} outbound events, ${total[0]!.n - missing.length} reached the receiver (${duplicates} more than once, same id), ${receiver.problems.length} deliveries failed verification`,
    );
    if (missing.length) failures.push(`events: ${missing.length} never reached the receiver (e.g. ${missing.slice(0, 3).join(', ')})`);
    for (const p of receiver.problems.slice(0, 5)) failures.push(`events: ${p}`);
    return failures;
  }

  return { check, close: () => receiver.close() };
}
