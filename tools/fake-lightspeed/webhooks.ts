import { randomUUID } from 'node:crypto';

export interface FakeWebhook {
  id: string;
  retailer_id: string;
  type: string;
  url: string;
  active: boolean;
}

const TYPES = ['sale.update', 'product.update', 'customer.update', 'inventory.update', 'register_closure.create', 'consignment.send', 'consignment.receive'];

/**
 * One X retailer's webhooks, API 2.0: `GET /api/2.0/webhooks` → `{data: [...]}`, `POST` (JSON
 * `{active, type, url}`) → 201 `{data}` or 409 when the same type and URL exist, `DELETE /{id}` → 204 or 404.
 */
export class WebhookBook {
  private readonly hooks = new Map<string, FakeWebhook>();

  constructor(private readonly retailerId: string = randomUUID()) {}

  list(): FakeWebhook[] {
    return [...this.hooks.values()];
  }

  create(input: Record<string, unknown>): { status: number; body: unknown } {
    const { type, url, active } = input;
    if (typeof type !== 'string' || !TYPES.includes(type) || typeof url !== 'string' || url.length < 3 || typeof active !== 'boolean') {
      return { status: 400, body: { error: 'active (boolean), type (a webhook type) and url are required' } };
    }
    if (this.list().some((h) => h.type === type && h.url === url)) return { status: 409, body: { error: 'A webhook with this type and URL already exists.' } };
    const hook: FakeWebhook = { id: randomUUID(), retailer_id: this.retailerId, type, url, active };
    this.hooks.set(hook.id, hook);
    return { status: 201, body: { data: hook } };
  }

  delete(id: string): number {
    return this.hooks.delete(id) ? 204 : 404;
  }
}
