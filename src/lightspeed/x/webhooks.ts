import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { LightspeedRequestError, LightspeedUnavailableError } from '../errors.js';

/** API 2.0 webhooks (JSON): `GET /api/2.0/webhooks` → `{data: Webhook[]}`, `POST` → 201 `{data}` or 409. */
const webhookSchema = z.looseObject({ id: z.string().min(1), type: z.string(), url: z.string(), active: z.boolean().optional() });
const listSchema = z.looseObject({ data: z.array(webhookSchema).nullable().optional() });
const createdSchema = z.looseObject({ data: webhookSchema });

export type XWebhook = z.infer<typeof webhookSchema>;

const http = (apiBase: string, accessToken: string): AxiosInstance =>
  axios.create({
    baseURL: apiBase,
    timeout: 10_000,
    validateStatus: () => true,
    maxRedirects: 0,
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });

function check(status: number, what: string): void {
  if (status >= 500) throw new LightspeedUnavailableError(`Lightspeed answered ${status} to ${what}`);
  if (status >= 400) throw new LightspeedRequestError(status, `Lightspeed answered ${status} to ${what}`);
}

export async function listXWebhooks(apiBase: string, accessToken: string): Promise<XWebhook[]> {
  const res = await http(apiBase, accessToken).get('/api/2.0/webhooks');
  check(res.status, 'GET /api/2.0/webhooks');
  const parsed = listSchema.safeParse(res.data);
  if (!parsed.success) throw new LightspeedRequestError(200, 'unexpected answer to GET /api/2.0/webhooks');
  return parsed.data.data ?? [];
}

/**
 * Our `sale.update` webhook, once: an identical one (same type and URL) already there is kept and its id
 * returned; Lightspeed's 409 for a duplicate (a race with another connect) is answered by listing again.
 * `superseded` names our older webhooks for the same merchant (its URL before a URL token, or with an
 * older token): they are deleted, since their deliveries would now be refused and retried for 48 h.
 */
export async function ensureXSaleWebhook(
  apiBase: string,
  accessToken: string,
  url: string,
  superseded: (url: string) => boolean = () => false,
): Promise<{ id: string; created: boolean }> {
  const same = (w: XWebhook) => w.type === 'sale.update' && w.url === url;
  const all = await listXWebhooks(apiBase, accessToken);
  for (const old of all.filter((w) => w.type === 'sale.update' && w.url !== url && superseded(w.url))) await deleteXWebhook(apiBase, accessToken, old.id);
  const existing = all.find(same);
  if (existing) return { id: existing.id, created: false };
  const res = await http(apiBase, accessToken).post(
    '/api/2.0/webhooks',
    { active: true, type: 'sale.update', url },
    { headers: { 'content-type': 'application/json' } },
  );
  if (res.status === 409) {
    const again = (await listXWebhooks(apiBase, accessToken)).find(same);
    if (again) return { id: again.id, created: false };
  }
  check(res.status, 'POST /api/2.0/webhooks');
  const parsed = createdSchema.safeParse(res.data);
  if (!parsed.success) throw new LightspeedRequestError(200, 'unexpected answer to POST /api/2.0/webhooks');
  return { id: parsed.data.data.id, created: true };
}

/** Removes our webhook; one already gone (404) is what we wanted. */
export async function deleteXWebhook(apiBase: string, accessToken: string, id: string): Promise<void> {
  const res = await http(apiBase, accessToken).delete(`/api/2.0/webhooks/${encodeURIComponent(id)}`);
  if (res.status === 404) return;
  check(res.status, 'DELETE /api/2.0/webhooks/{id}');
}
