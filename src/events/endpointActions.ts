import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/authenticate.js';
import { writeAudit } from '../access/audit.js';
import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import { DomainError, missing } from '../domainError.js';
import type { Keyring } from '../secrets/keyring.js';
import { resealAsPrevious, sealEndpointSecret } from './endpointSecrets.js';
import { testBody } from './eventBody.js';
import { newSecret } from './signature.js';
import {
  deleteEndpoint,
  getEndpoint,
  insertEndpoint,
  insertTestEvent,
  nextEndpointId,
  replayDelivery,
  replaySince,
  rotateEndpointSecret,
  setEndpointEnabled,
  updateEndpoint,
  type EndpointRow,
} from './store.js';
import { checkUrl, resolveTarget, TargetRefused, type Resolve, type TargetPolicy } from './targetPolicy.js';
import { endpointView, type EndpointWithSecret } from './views.js';

export interface EndpointDeps {
  pool: Pool;
  ring: Keyring;
  policy: TargetPolicy;
  resolve?: Resolve;
  overlapMs: number;
}

/** Whose endpoints: a merchant's, or (null) the platform-wide ones. */
export type Scope = { merchantId: string | null; merchantName: string | null };

/** The URL must be usable now (scheme, and every address its host resolves to); the sender checks again at each round. */
async function assertTarget(deps: EndpointDeps, url: string): Promise<void> {
  try {
    await resolveTarget(checkUrl(url, deps.policy), deps.policy, deps.resolve);
  } catch (error) {
    if (error instanceof TargetRefused) throw new DomainError('unprocessable', error.code, error.message);
    throw error;
  }
}

const audit = (actor: Actor, scope: Scope, action: string, id: number, before?: unknown, after?: unknown) => ({
  actor,
  merchantId: scope.merchantId,
  action: `webhook_endpoint.${action}`,
  entity: 'webhook_endpoint',
  entityId: String(id),
  before,
  after,
});

/** The endpoint if it is the scope's; otherwise 404 (another merchant's endpoint does not exist for you). */
export async function endpointInScope(deps: EndpointDeps, scope: Scope, id: number): Promise<EndpointRow> {
  const e = await getEndpoint(deps.pool, id);
  if (!e || e.merchant_id !== scope.merchantId) throw missing(`webhook endpoint ${id}`);
  return e;
}

export async function createEndpoint(
  deps: EndpointDeps,
  actor: Actor,
  scope: Scope,
  input: { url: string; description: string; eventTypes: string[]; enabled: boolean },
): Promise<EndpointWithSecret> {
  await assertTarget(deps, input.url);
  const secret = newSecret();
  return withTransaction(deps.pool, async (db) => {
    const id = await nextEndpointId(db);
    const row = await insertEndpoint(db, { id, merchantId: scope.merchantId, ...input, secret: sealEndpointSecret(deps.ring, 'secret', id, secret) });
    await writeAudit(db, audit(actor, scope, 'create', id, undefined, endpointView(row)));
    return { endpoint: endpointView(row), secret };
  });
}

export async function changeEndpoint(
  deps: EndpointDeps,
  actor: Actor,
  scope: Scope,
  id: number,
  patch: { url?: string; description?: string; eventTypes?: string[] },
): Promise<EndpointRow> {
  const before = await endpointInScope(deps, scope, id);
  if (patch.url !== undefined) await assertTarget(deps, patch.url);
  return withTransaction(deps.pool, async (db) => {
    const row = (await updateEndpoint(db, id, patch))!;
    await writeAudit(db, audit(actor, scope, 'update', id, endpointView(before), endpointView(row)));
    return row;
  });
}

/** Idempotent: an id that no longer exists (for anyone) answers as deleted; another scope's endpoint is not found. */
export async function removeEndpoint(deps: EndpointDeps, actor: Actor, scope: Scope, id: number): Promise<void> {
  const found = await getEndpoint(deps.pool, id);
  if (!found) return;
  const before = await endpointInScope(deps, scope, id);
  await withTransaction(deps.pool, async (db) => {
    await deleteEndpoint(db, id);
    await writeAudit(db, audit(actor, scope, 'delete', id, endpointView(before)));
  });
}

/**
 * A new secret, shown once. The previous one keeps signing (a second signature in the header) for
 * WEBHOOK_SECRET_OVERLAP_MS, so receivers switch without losing a delivery.
 */
export async function rotateSecret(deps: EndpointDeps, actor: Actor, scope: Scope, id: number): Promise<EndpointWithSecret> {
  const before = await endpointInScope(deps, scope, id);
  const secret = newSecret();
  return withTransaction(deps.pool, async (db) => {
    const until = new Date(Date.now() + deps.overlapMs);
    const row = (await rotateEndpointSecret(db, id, sealEndpointSecret(deps.ring, 'secret', id, secret), resealAsPrevious(deps.ring, before), until))!;
    await writeAudit(db, audit(actor, scope, 'rotate_secret', id, undefined, { previousSecretValidUntil: until.toISOString() }));
    return { endpoint: endpointView(row), secret };
  });
}

export async function switchEndpoint(deps: EndpointDeps, actor: Actor, scope: Scope, id: number, enabled: boolean): Promise<EndpointRow> {
  const before = await endpointInScope(deps, scope, id);
  return withTransaction(deps.pool, async (db) => {
    const row = (await setEndpointEnabled(db, id, enabled, 'manual'))!;
    await writeAudit(db, audit(actor, scope, enabled ? 'enable' : 'disable', id, { enabled: before.enabled }, { enabled }));
    return row;
  });
}

export async function sendTestEvent(deps: EndpointDeps, actor: Actor, scope: Scope, id: number): Promise<string> {
  const endpoint = await endpointInScope(deps, scope, id);
  const merchant = scope.merchantId ? { id: scope.merchantId, name: scope.merchantName ?? scope.merchantId } : null;
  return withTransaction(deps.pool, async (db) => {
    const eventId = await insertTestEvent(db, endpoint, scope.merchantId, (eid) => testBody(eid, merchant), `evt_${randomUUID().replace(/-/g, '')}`);
    await writeAudit(db, audit(actor, scope, 'test', id, undefined, { eventId }));
    return eventId;
  });
}

export async function replayOne(deps: EndpointDeps, actor: Actor, scope: Scope, id: number, deliveryId: number): Promise<void> {
  await endpointInScope(deps, scope, id);
  await withTransaction(deps.pool, async (db) => {
    if (!(await replayDelivery(db, id, deliveryId))) throw missing(`delivery ${deliveryId}`);
    await writeAudit(db, audit(actor, scope, 'replay', id, undefined, { deliveryId }));
  });
}

export async function replayFrom(deps: EndpointDeps, actor: Actor, scope: Scope, id: number, since: Date): Promise<number> {
  const endpoint = await endpointInScope(deps, scope, id);
  return withTransaction(deps.pool, async (db) => {
    const count = await replaySince(db, endpoint, since);
    await writeAudit(db, audit(actor, scope, 'replay', id, undefined, { since: since.toISOString(), deliveries: count }));
    return count;
  });
}
