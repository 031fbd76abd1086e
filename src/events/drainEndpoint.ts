import type { Pool } from '../db/pool.js';
import type { Keyring } from '../secrets/keyring.js';
import { markDetectorDue } from '../insights/store/detectorFigures.js';
import { EndpointAgents } from './endpointAgents.js';
import { signingSecrets } from './endpointSecrets.js';
import { sender, type PostResult } from './post.js';
import { retryDelayMs } from './retrySchedule.js';
import { signingKeys, signWithKeys } from './signature.js';
import { checkUrl, resolveTarget, TargetRefused, type Resolve, type TargetPolicy } from './targetPolicy.js';
import {
  acquireDrain,
  deferDeliveries,
  dueDeliveries,
  nextDueAt,
  noteEndpointHealth,
  recordAttempts,
  releaseDrain,
  renewDrainLease,
  setEndpointEnabled,
  type AttemptOutcome,
  type DueDelivery,
  type EndpointRow,
} from './store.js';

export interface DrainDeps {
  pool: Pool;
  ring: Keyring;
  policy: TargetPolicy;
  resolve?: Resolve;
  timeoutMs: number;
  /** An endpoint whose every attempt failed for this long is disabled. */
  disableAfterMs: number;
  /** Deliveries read per round, and sent at once per endpoint (its own slots: a hanging endpoint holds only these). */
  batch: number;
  parallel: number;
  /** Keep-alive agents, one per endpoint (the delivery worker's); without, a drain makes its own and closes it. */
  agents?: EndpointAgents;
  now?: () => Date;
  random?: () => number;
  /** Told when an endpoint is disabled by a 410 or by failing for days (the notice; alerts hook in here). */
  onDisabled?: (endpoint: EndpointRow, reason: 'gone' | 'failing') => Promise<void>;
}

export interface DrainResult {
  /** false: another drain held the endpoint (or it is disabled): nothing done. */
  ran: boolean;
  attempted: number;
  delivered: number;
  /** The earliest pending attempt left, for the delayed wake-up. */
  nextDueAt: Date | null;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * Sends an endpoint's due deliveries, a batch at a time, under the endpoint's drain lease: one drain per
 * endpoint at a time, so a slow or dead endpoint holds one worker slot and never the others'. A round in
 * which every attempt failed ends the drain (the rest wait for the sweep or their retry time), so a dead
 * endpoint is not hammered: once a whole wave of `parallel` attempts has failed without one success, the
 * round's other deliveries are not tried but put off to the first retry time (no attempt counted). 2xx delivered; 410 disables the endpoint; anything else (3xx: redirects are
 * not followed, timeouts, resets) is retried on the schedule, then failed.
 */
export async function drainEndpoint(deps: DrainDeps, endpointId: number): Promise<DrainResult> {
  if (deps.agents) return drainWith(deps as DrainDeps & { agents: EndpointAgents }, endpointId);
  // Without the worker's agents (a test, a one-off): this drain's own, closed after it.
  const agents = new EndpointAgents(deps.parallel);
  try {
    return await drainWith({ ...deps, agents }, endpointId);
  } finally {
    agents.close();
  }
}

async function drainWith(deps: DrainDeps & { agents: EndpointAgents }, endpointId: number): Promise<DrainResult> {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const lease = deps.timeoutMs * 2 + 30_000;
  const result: DrainResult = { ran: false, attempted: 0, delivered: 0, nextDueAt: null };
  for (;;) {
    const endpoint = await acquireDrain(deps.pool, endpointId, lease);
    if (!endpoint) return result;
    result.ran = true;
    let stop = false;
    try {
      while (!stop) {
        const due = await dueDeliveries(deps.pool, endpointId, deps.batch);
        if (!due.length) break;
        const { outcomes, deferred } = await attemptAll(deps, endpoint, due, now(), random);
        await recordAttempts(deps.pool, outcomes);
        if (deferred.length) await deferDeliveries(deps.pool, deferred, new Date(now().getTime() + retryDelayMs(1, random())!));
        result.attempted += outcomes.length;
        const delivered = outcomes.filter((o) => o.status === 'delivered').length;
        result.delivered += delivered;
        const failingSince = await noteEndpointHealth(deps.pool, endpointId, delivered > 0);
        if (outcomes.some((o) => o.responseStatus === 410)) {
          deps.agents.drop(endpointId);
          await setEndpointEnabled(deps.pool, endpointId, false, 'gone');
          await deps.onDisabled?.(endpoint, 'gone');
          return { ...result, nextDueAt: null };
        }
        if (failingSince && now().getTime() - failingSince.getTime() >= deps.disableAfterMs) {
          deps.agents.drop(endpointId);
          await setEndpointEnabled(deps.pool, endpointId, false, 'failing');
          // The insights detector examines only merchants whose figures changed: this is a change, so its next
          // pass opens the ENDPOINT_DISABLED alert (a platform-wide endpoint is no merchant's alert).
          if (endpoint.merchant_id) await markDetectorDue(deps.pool, endpoint.merchant_id);
          await deps.onDisabled?.(endpoint, 'failing');
          return { ...result, nextDueAt: null };
        }
        if (delivered === 0) stop = true;
        // Keep the lease while the endpoint answers.
        else await acquireDrainRenew(deps, endpointId, lease);
      }
    } finally {
      await releaseDrain(deps.pool, endpointId);
    }
    // Released, then looked again: deliveries created while we held the lease, whose wake-up found it
    // held, are not left behind.
    if (stop || !(await dueDeliveries(deps.pool, endpointId, 1)).length) break;
  }
  result.nextDueAt = await nextDueAt(deps.pool, endpointId);
  return result;
}

async function acquireDrainRenew(deps: DrainDeps, endpointId: number, lease: number): Promise<void> {
  await renewDrainLease(deps.pool, endpointId, lease);
}

async function attemptAll(
  deps: DrainDeps & { agents: EndpointAgents },
  endpoint: EndpointRow,
  due: DueDelivery[],
  at: Date,
  random: () => number,
): Promise<{ outcomes: AttemptOutcome[]; deferred: number[] }> {
  const fail = (d: DueDelivery, r: PostResult): AttemptOutcome => {
    const delay = retryDelayMs(d.attempts + 1, random());
    return {
      deliveryId: d.delivery_id,
      status: delay === null ? 'failed' : 'pending',
      responseStatus: r.status,
      latencyMs: r.latencyMs,
      excerpt: r.excerpt,
      error: r.error ?? (r.status === null ? null : `HTTP ${r.status}`),
      nextAttemptAt: delay === null ? null : new Date(at.getTime() + delay),
    };
  };
  let url: URL;
  let target: { address: string; family: 4 | 6 };
  try {
    // Resolved once per round and connected to as checked (DNS rebinding cannot swap the address).
    url = checkUrl(endpoint.url, deps.policy);
    target = await resolveTarget(url, deps.policy, deps.resolve);
  } catch (error) {
    const message = error instanceof TargetRefused ? error.message : 'the endpoint URL could not be checked';
    return { outcomes: due.map((d) => fail(d, { status: null, latencyMs: 0, excerpt: '', error: message })), deferred: [] };
  }
  // Per round, not per delivery: the secrets decrypted and their keys decoded, the request options built.
  const keys = signingKeys(signingSecrets(deps.ring, endpoint, at));
  const send = sender(url, deps.agents.for(endpoint.id, url, target), deps.timeoutMs);
  const attempt = async (d: DueDelivery): Promise<AttemptOutcome> => {
    const timestamp = Math.floor(Date.now() / 1000);
    const r = await send(
      { 'webhook-id': d.event_id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWithKeys(keys, d.event_id, timestamp, d.body) },
      d.body,
    );
    if (r.status !== null && r.status >= 200 && r.status < 300)
      return {
        deliveryId: d.delivery_id,
        status: 'delivered',
        responseStatus: r.status,
        latencyMs: r.latencyMs,
        excerpt: r.excerpt,
        error: null,
        nextAttemptAt: null,
      };
    return fail(d, r);
  };
  // The first wave (the endpoint's slots) goes alone: if every one of it fails, the endpoint is down or
  // hanging, and the rest of the round is put off rather than spending its slots for a timeout each.
  const wave = await Promise.all(due.slice(0, deps.parallel).map(attempt));
  const rest = due.slice(deps.parallel);
  if (rest.length && wave.every((o) => o.status !== 'delivered')) return { outcomes: wave, deferred: rest.map((d) => d.delivery_id) };
  return { outcomes: [...wave, ...(await mapLimit(rest, deps.parallel, attempt))], deferred: [] };
}
